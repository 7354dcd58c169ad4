//! Hostile and nonsensical input never panics the sim: every request gets an
//! HTTP answer with a Status, and the clock keeps running afterwards.

mod common;

use std::time::Duration;

use serde_json::{Value, json};
use warroom::sim::ScenarioName;

use common::{cluster, config};

async fn send(
    http: &reqwest::Client,
    method: reqwest::Method,
    url: String,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, Value) {
    let resp = http
        .request(method, &url)
        .header("Content-Type", content_type)
        .body(body)
        .send()
        .await
        .unwrap_or_else(|e| panic!("no HTTP answer for {url}: {e}"));
    let code = resp.status().as_u16();
    let text = resp.text().await.unwrap_or_default();
    (
        code,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nonsense_gets_a_status_and_the_cluster_carries_on() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let c = cluster(config(ScenarioName::OomLoop)).await;
    let base = c.url();
    let http = reqwest::Client::new();
    let json_ct = "application/json";
    let pods = format!("{base}/api/v1/namespaces/production/pods");
    let deploys = format!("{base}/apis/apps/v1/namespaces/production/deployments");
    use reqwest::Method;

    // Not JSON, wrong shapes, wrong kinds.
    let cases: Vec<(Method, String, &str, Vec<u8>, u16)> = vec![
        (
            Method::POST,
            pods.clone(),
            json_ct,
            b"{not json".to_vec(),
            400,
        ),
        (
            Method::POST,
            pods.clone(),
            json_ct,
            b"[1,2,3]".to_vec(),
            400,
        ),
        (
            Method::POST,
            pods.clone(),
            json_ct,
            json!({"metadata": "x"}).to_string().into_bytes(),
            422,
        ),
        (
            Method::POST,
            pods.clone(),
            json_ct,
            json!({"metadata": {"name": "a", "annotations": "x"}, "spec": {}})
                .to_string()
                .into_bytes(),
            422,
        ),
        (
            Method::POST,
            pods.clone(),
            json_ct,
            json!({"kind": "Node", "metadata": {"name": "a"}})
                .to_string()
                .into_bytes(),
            400,
        ),
        (
            Method::POST,
            deploys.clone(),
            json_ct,
            json!({"metadata": {"name": "d"}, "spec": {"template": 7}})
                .to_string()
                .into_bytes(),
            422,
        ),
        (
            Method::POST,
            pods.clone(),
            "application/vnd.kubernetes.protobuf",
            b"k8s\0\x0a\xff\xff\xff".to_vec(),
            400,
        ),
        (
            Method::PATCH,
            format!("{deploys}/worker"),
            "application/json-patch+json",
            b"[{\"op\":\"move\",\"from\":\"/nope\",\"path\":\"/x\"}]".to_vec(),
            422,
        ),
        (
            Method::PATCH,
            format!("{deploys}/worker"),
            "application/merge-patch+json",
            b"\xff\xfe".to_vec(),
            400,
        ),
        (
            Method::PATCH,
            format!("{deploys}/worker"),
            "text/plain",
            b"hi".to_vec(),
            415,
        ),
        (
            Method::GET,
            format!("{pods}?labelSelector=a%20in%20(b"),
            json_ct,
            Vec::new(),
            400,
        ),
        (
            Method::GET,
            format!("{pods}?fieldSelector=spec.foo%3Dbar"),
            json_ct,
            Vec::new(),
            400,
        ),
        (
            Method::GET,
            format!("{pods}?continue=zz"),
            json_ct,
            Vec::new(),
            400,
        ),
        (
            Method::GET,
            format!("{pods}?resourceVersion=abc"),
            json_ct,
            Vec::new(),
            400,
        ),
        (
            Method::GET,
            format!("{base}/api/v1/namespaces/production/widgets"),
            json_ct,
            Vec::new(),
            404,
        ),
    ];
    for (method, url, ct, body, want) in cases {
        let (code, status) = send(&http, method.clone(), url.clone(), ct, body).await;
        assert_eq!(code, want, "{method} {url}: {status}");
        assert_eq!(status["kind"], "Status", "{method} {url}: {status}");
    }

    // Numbers at the ends of their range, in objects the controllers and the
    // kubelet then work with.
    // Staging: production's quota rightly refuses a 1Ei limit.
    let staging_pods = format!("{base}/api/v1/namespaces/staging/pods");
    let extreme = json!({
        "metadata": {"name": "extreme"},
        "spec": {
            "terminationGracePeriodSeconds": i64::MAX,
            "containers": [{
                "name": "app",
                "image": "registry.local/shop/notification-service:1.8.2",
                "resources": {"limits": {"memory": "1Ei"}},
                "readinessProbe": {"httpGet": {"port": 8080}, "periodSeconds": i64::MAX, "failureThreshold": i64::MAX},
                "livenessProbe": {"httpGet": {"port": 8080}, "periodSeconds": i64::MAX},
            }],
            "nodeName": "node-1",
        },
    });
    let (code, body) = send(
        &http,
        Method::POST,
        staging_pods.clone(),
        json_ct,
        extreme.to_string().into_bytes(),
    )
    .await;
    assert_eq!(code, 201, "{body}");
    let mut d = c
        .sim
        .object("deployments", "production", "worker")
        .expect("worker");
    d["spec"]["minReadySeconds"] = json!(i64::MAX);
    d["spec"]["progressDeadlineSeconds"] = json!(i64::MAX);
    d["spec"]["template"]["metadata"]["annotations"] = json!({"restart": "now"});
    let (code, body) = send(
        &http,
        Method::PUT,
        format!("{deploys}/worker"),
        json_ct,
        d.to_string().into_bytes(),
    )
    .await;
    assert_eq!(code, 200, "{body}");
    c.advance(Duration::from_secs(120)).await;
    let (code, _) = send(&http, Method::GET, format!("{staging_pods}/extreme/log?sinceSeconds=9223372036854775807&tailLines=9223372036854775807&limitBytes=9223372036854775807"), json_ct, Vec::new()).await;
    assert_eq!(code, 200);
    let (code, body) = send(
        &http,
        Method::DELETE,
        format!("{staging_pods}/extreme?gracePeriodSeconds=9223372036854775807"),
        json_ct,
        Vec::new(),
    )
    .await;
    assert_eq!(code, 200, "{body}");
    c.advance(Duration::from_secs(30)).await;
    // Still serving, still moving.
    let (code, list) = send(&http, Method::GET, pods, json_ct, Vec::new()).await;
    assert_eq!(code, 200);
    assert!(list["items"].as_array().is_some_and(|i| !i.is_empty()));
}
