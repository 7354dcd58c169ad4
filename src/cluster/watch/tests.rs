use super::*;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

fn ns(name: &str, rv: &str) -> Namespace {
    Namespace {
        metadata: ObjectMeta {
            name: Some(name.to_string()),
            resource_version: Some(rv.to_string()),
            ..ObjectMeta::default()
        },
        ..Namespace::default()
    }
}

fn ctx(tx: Sender<Update>) -> Ctx {
    Ctx {
        tx,
        generation: 3,
        clock: crate::cluster::system_clock(),
        server: Arc::from("http://x"),
        batch: 16,
    }
}

#[tokio::test]
async fn a_batch_keeps_the_latest_event_per_object() {
    let (tx, mut rx) = tokio::sync::mpsc::channel(8);
    let ctx = ctx(tx);
    let mut p = Pending::<Namespace>::new();
    p.record(key_of(&ns("a", "1")), Some(ns("a", "1")));
    p.record(key_of(&ns("b", "2")), Some(ns("b", "2")));
    p.record(key_of(&ns("a", "3")), None);
    p.record(key_of(&ns("c", "4")), None);
    p.record(key_of(&ns("c", "5")), Some(ns("c", "5")));
    p.flush(&ctx, ClusterChange::Namespaces).await.ok();
    let mut got = Vec::new();
    while let Ok(msg) = rx.try_recv() {
        match msg {
            Update::Watch {
                generation: 3,
                change: ClusterChange::Namespaces(c),
            } => got.push(c),
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(got.len(), 2, "one Applied and one Deleted: {got:?}");
    match &got[0] {
        Change::Applied(names) => assert_eq!(names, &["b".to_string(), "c".to_string()]),
        other => panic!("expected Applied first, got {other:?}"),
    }
    match &got[1] {
        Change::Deleted(keys) => assert_eq!(keys, &[ObjectKey::new("", "a")]),
        other => panic!("expected Deleted, got {other:?}"),
    }
    assert!(p.is_empty());
}
