use super::*;
use serde_json::json;

fn pod(value: serde_json::Value) -> Pod {
    serde_json::from_value(value).expect("a pod")
}

#[test]
fn a_pod_view_reads_states_restarts_and_the_last_exit() {
    let p = pod(json!({
        "metadata": {"name": "n-1"},
        "spec": {"containers": [{"name": "app"}, {"name": "sidecar"}, {"name": "new"}]},
        "status": {"phase": "Running", "containerStatuses": [
            {"name": "app", "restartCount": 2, "ready": false, "image": "", "imageID": "",
             "state": {"waiting": {"reason": "CrashLoopBackOff"}},
             "lastState": {"terminated": {"reason": "OOMKilled", "exitCode": 137}}},
            {"name": "sidecar", "restartCount": 0, "ready": true, "image": "", "imageID": "",
             "state": {"running": {"startedAt": "2026-03-02T09:00:00Z"}}},
        ]},
    }));
    let v = PodView::from_pod(&p);
    assert_eq!(v.restart_policy, "Always");
    let app = v.container("app").expect("app");
    assert_eq!(app.state, RunState::Waiting("CrashLoopBackOff".into()));
    assert_eq!(
        app.last,
        Some(Exit {
            reason: "OOMKilled".into(),
            code: 137
        })
    );
    assert!(app.started() && app.restarted());
    let sidecar = v.container("sidecar").expect("sidecar");
    assert!(sidecar.started() && !sidecar.restarted());
    let new = v.container("new").expect("new");
    assert_eq!(new.state, RunState::Unknown);
    assert!(!new.started());
}

#[test]
fn a_container_is_finished_only_when_nothing_will_run_it_again() {
    let view = |policy: &str, phase: &str, code: i32| {
        let p = pod(json!({
            "metadata": {"name": "job-1"},
            "spec": {"restartPolicy": policy, "containers": [{"name": "c"}]},
            "status": {"phase": phase, "containerStatuses": [
                {"name": "c", "restartCount": 0, "ready": false, "image": "", "imageID": "",
                 "state": {"terminated": {"exitCode": code}}},
            ]},
        }));
        PodView::from_pod(&p)
    };
    let finished = |v: &PodView| v.finished(v.container("c").expect("c")).cloned();
    assert_eq!(
        finished(&view("Never", "Running", 1)),
        Some(Exit {
            reason: "Error".into(),
            code: 1
        })
    );
    assert_eq!(finished(&view("OnFailure", "Running", 1)), None);
    assert_eq!(
        finished(&view("OnFailure", "Succeeded", 0)).map(|e| e.reason),
        Some("Completed".into())
    );
    assert_eq!(finished(&view("Always", "Running", 1)), None);
}
