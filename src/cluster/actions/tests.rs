use super::*;

fn client() -> Client {
    let config = kube::Config::new("http://127.0.0.1:9".parse().expect("url"));
    Client::try_from(config).expect("client")
}

#[tokio::test]
async fn messages_read_as_kubectl_prints_them() {
    let c = client();
    let t = WorkloadRef::new(WorkloadKind::Deployment, "production", "checkout-service");
    let real = Workload::new(&c, &t, false);
    assert_eq!(
        real.done("rolled back"),
        "deployment.apps/checkout-service rolled back"
    );
    assert_eq!(real.quoted_name(), "deployments.apps \"checkout-service\"");
    let s = WorkloadRef::new(WorkloadKind::StatefulSet, "production", "postgres");
    let dry = Workload::new(&c, &s, true);
    assert_eq!(
        dry.done("restarted"),
        "statefulset.apps/postgres restarted (server dry run)"
    );
    assert!(dry.patch_params().dry_run);
}

#[tokio::test]
async fn reviews_that_cannot_be_asked_are_unknown_in_order() {
    // A port that was free a moment ago: the connection is refused.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let config = kube::Config::new(format!("http://127.0.0.1:{port}").parse().expect("url"));
    let c = Client::try_from(config).expect("client");
    let t = WorkloadRef::new(WorkloadKind::Deployment, "production", "checkout-service");
    let checks = [
        crate::model::action::ActionKind::Scale.access(&t),
        crate::model::action::ActionKind::Restart.access(&t),
    ];
    let answers = review(&c, &checks).await;
    assert_eq!(answers.len(), 2);
    for (check, answer) in checks.iter().zip(&answers) {
        match answer {
            Access::Unknown(why) => assert!(
                why.starts_with(&format!(
                    "cannot ask whether you may {}: ",
                    check.describe()
                )),
                "{why}"
            ),
            other => panic!("expected Unknown, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_daemonset_is_not_scaled_and_nothing_is_sent() {
    // The client points at a closed port: an attempt to send would fail
    // as a transport error, not with this sentence.
    let c = client();
    let t = WorkloadRef::new(WorkloadKind::DaemonSet, "monitoring", "node-agent");
    let m = Mutation::Scale {
        target: t,
        from: 3,
        replicas: 5,
    };
    assert_eq!(
        execute(&c, &m, false, Timestamp::UNIX_EPOCH).await,
        Err(ActionError::Failed(
            "a DaemonSet has no replicas: it runs one pod per node".into()
        ))
    );
}
