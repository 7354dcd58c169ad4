//! The decoder against bodies built by hand the way Go's generated
//! marshallers build them, and against broken ones.

use super::schema::f;
use super::*;

// A tiny encoder, writing what Go's generated marshallers write.

fn varint(mut v: u64) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return out;
        }
        out.push(b | 0x80);
    }
}

/// A length-delimited field: a string, bytes or an embedded message.
fn bytes(n: u64, body: &[u8]) -> Vec<u8> {
    [varint(n << 3 | 2), varint(body.len() as u64), body.to_vec()].concat()
}

fn text(n: u64, s: &str) -> Vec<u8> {
    bytes(n, s.as_bytes())
}

fn int(n: u64, v: i64) -> Vec<u8> {
    [varint(n << 3), varint(v as u64)].concat()
}

fn entry(n: u64, key: &str, value: &[u8]) -> Vec<u8> {
    bytes(n, &[text(1, key), bytes(2, value)].concat())
}

fn envelope(api_version: &str, kind: &str, raw: &[u8]) -> Vec<u8> {
    let type_meta = [text(1, api_version), text(2, kind)].concat();
    [
        MAGIC.to_vec(),
        bytes(1, &type_meta),
        bytes(2, raw),
        text(3, ""),
        text(4, ""),
    ]
    .concat()
}

/// ObjectMeta as Go writes it: every value field, zero or not, and an
/// empty creationTimestamp.
fn meta(name: &str, labels: &[(&str, &str)]) -> Vec<u8> {
    let mut m = [
        text(1, name),
        text(2, ""),
        text(3, ""),
        text(4, ""),
        text(5, ""),
        text(6, ""),
        int(7, 0),
        bytes(8, &[]),
    ]
    .concat();
    for (k, v) in labels {
        m.extend(entry(11, k, v.as_bytes()));
    }
    m.extend(text(15, ""));
    m
}

fn decoded(api_version: &str, kind: &str, raw: &[u8]) -> Value {
    decode(&envelope(api_version, kind, raw)).unwrap_or_else(|e| panic!("{e:?}"))
}

#[test]
fn a_namespace_keeps_only_what_was_given() {
    let raw = [
        bytes(1, &meta("sandbox", &[])),
        bytes(2, &[]),
        bytes(3, &text(1, "")),
    ]
    .concat();
    assert_eq!(
        decoded("v1", "Namespace", &raw),
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "sandbox"}})
    );
}

#[test]
fn a_configmap_with_data() {
    let raw = [
        bytes(1, &meta("notes", &[])),
        entry(2, "owner", b"oncall"),
        entry(2, "empty", b""),
        entry(3, "blob", &[0, 0xff]),
    ]
    .concat();
    assert_eq!(
        decoded("v1", "ConfigMap", &raw),
        json!({
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "notes"},
            "data": {"owner": "oncall", "empty": ""},
            "binaryData": {"blob": "AP8="},
        })
    );
}

#[test]
fn a_secret_shows_its_bytes_as_base64() {
    let raw = [
        bytes(1, &meta("db", &[])),
        entry(2, "password", b"x"),
        entry(2, "token", b"s3cr3t!"),
        text(3, "Opaque"),
    ]
    .concat();
    assert_eq!(
        decoded("v1", "Secret", &raw),
        json!({
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "db"},
            "data": {"password": "eA==", "token": "czNjcjN0IQ=="},
            "type": "Opaque",
        })
    );
}

/// What `kubectl create deployment web --image=nginx:1.27 --replicas=2
/// --port=80` sends, plus a CPU request.
fn deployment(replicas: i64) -> Vec<u8> {
    let quantity = text(1, "100m");
    let resources = [entry(2, "cpu", &quantity)].concat();
    let port = [text(1, ""), int(2, 0), int(3, 80), text(4, ""), text(5, "")].concat();
    let container = [
        text(1, "nginx"),
        text(2, "nginx:1.27"),
        text(5, ""),
        bytes(6, &port),
        bytes(8, &resources),
        text(13, ""),
        text(14, ""),
        int(16, 0),
        int(17, 0),
        int(18, 0),
        text(20, ""),
    ]
    .concat();
    let pod_spec = [
        bytes(2, &container),
        text(3, ""),
        text(6, ""),
        text(8, ""),
        text(10, ""),
        int(11, 0),
    ]
    .concat();
    let template = [bytes(1, &meta("", &[("app", "web")])), bytes(2, &pod_spec)].concat();
    let selector = entry(1, "app", b"web");
    let spec = [
        int(1, replicas),
        bytes(2, &selector),
        bytes(3, &template),
        bytes(4, &[text(1, "")].concat()),
        int(5, 0),
        int(7, 0),
    ]
    .concat();
    let status = [int(1, 0), int(2, 0)].concat();
    [
        bytes(1, &meta("web", &[("app", "web")])),
        bytes(2, &spec),
        bytes(3, &status),
    ]
    .concat()
}

#[test]
fn a_deployment_as_kubectl_create_deployment_sends_it() {
    assert_eq!(
        decoded("apps/v1", "Deployment", &deployment(2)),
        json!({
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "web", "labels": {"app": "web"}},
            "spec": {
                "replicas": 2,
                "selector": {"matchLabels": {"app": "web"}},
                "template": {
                    "metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [{
                        "name": "nginx",
                        "image": "nginx:1.27",
                        "ports": [{"containerPort": 80}],
                        "resources": {"requests": {"cpu": "100m"}},
                    }]},
                },
            },
        })
    );
}

#[test]
fn a_pointer_field_keeps_its_zero() {
    let v = decoded("apps/v1", "Deployment", &deployment(0));
    assert_eq!(v["spec"]["replicas"], json!(0));
    assert!(v["spec"].get("minReadySeconds").is_none(), "{v}");
}

#[test]
fn a_service_port_reads_int_or_string() {
    let by_number = [int(1, 0), int(2, 8080), text(3, "")].concat();
    let by_name = [int(1, 1), int(2, 0), text(3, "http")].concat();
    let unset = [int(1, 0), int(2, 0), text(3, "")].concat();
    let port = |name: &str, n: i64, target: &[u8]| {
        bytes(
            1,
            &[
                text(1, name),
                text(2, "TCP"),
                int(3, n),
                bytes(4, target),
                int(5, 0),
            ]
            .concat(),
        )
    };
    let spec = [
        port("a", 80, &by_number),
        port("b", 443, &by_name),
        port("c", 9090, &unset),
        entry(2, "app", b"web"),
        text(3, ""),
        text(4, "ClusterIP"),
    ]
    .concat();
    let v = decoded(
        "v1",
        "Service",
        &[bytes(1, &meta("web", &[])), bytes(2, &spec)].concat(),
    );
    assert_eq!(
        v["spec"],
        json!({
            "ports": [
                {"name": "a", "protocol": "TCP", "port": 80, "targetPort": 8080},
                {"name": "b", "protocol": "TCP", "port": 443, "targetPort": "http"},
                {"name": "c", "protocol": "TCP", "port": 9090},
            ],
            "selector": {"app": "web"},
            "type": "ClusterIP",
        })
    );
}

#[test]
fn a_pod_as_kubectl_run_sends_it() {
    let container = [text(1, "probe"), text(2, "busybox:1.36"), bytes(8, &[])].concat();
    let spec = [
        bytes(2, &container),
        text(3, "Always"),
        text(6, "ClusterFirst"),
        int(4, 0),
    ]
    .concat();
    let v = decoded(
        "v1",
        "Pod",
        &[
            bytes(1, &meta("probe", &[("run", "probe")])),
            bytes(2, &spec),
            bytes(3, &[]),
        ]
        .concat(),
    );
    assert_eq!(
        v,
        json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "probe", "labels": {"run": "probe"}},
            "spec": {
                "containers": [{"name": "probe", "image": "busybox:1.36"}],
                "restartPolicy": "Always",
                "dnsPolicy": "ClusterFirst",
                "terminationGracePeriodSeconds": 0,
            },
        })
    );
}

#[test]
fn unknown_fields_of_every_wire_type_are_skipped() {
    let raw = [
        bytes(
            1,
            &[text(1, "notes"), text(99, "future"), int(98, 7)].concat(),
        ),
        [varint(97 << 3 | 1), vec![1, 2, 3, 4, 5, 6, 7, 8]].concat(),
        [varint(96 << 3 | 5), vec![1, 2, 3, 4]].concat(),
        entry(2, "a", b"b"),
    ]
    .concat();
    assert_eq!(
        decoded("v1", "ConfigMap", &raw),
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "notes"}, "data": {"a": "b"}})
    );
}

#[test]
fn a_time_is_rfc3339_and_the_zero_time_is_absent() {
    let stamped = [text(1, "x"), bytes(8, &int(1, 1_772_442_000))].concat();
    let v = decoded("v1", "ConfigMap", &bytes(1, &stamped));
    assert_eq!(
        v["metadata"]["creationTimestamp"],
        json!("2026-03-02T09:00:00Z")
    );
    let v = decoded("v1", "ConfigMap", &bytes(1, &meta("x", &[])));
    assert!(v["metadata"].get("creationTimestamp").is_none(), "{v}");
}

#[test]
fn an_unknown_kind_is_named_in_a_415() {
    let body = envelope("batch/v1", "CronJob", &bytes(1, &meta("nightly", &[])));
    assert_eq!(
        decode(&body),
        Err(Error::UnknownKind {
            api_version: "batch/v1".into(),
            kind: "CronJob".into()
        })
    );
    let e = object_from_body(CONTENT_TYPE, &body).expect_err("refused");
    assert_eq!((e.code, e.reason), (415, "UnsupportedMediaType"));
    assert!(e.message.contains("CronJob (batch/v1)"), "{}", e.message);
    assert!(e.message.contains("kubectl create -f"), "{}", e.message);
}

#[test]
fn malformed_bodies_are_a_400_not_a_panic() {
    let cm = |raw: &[u8]| decode(&envelope("v1", "ConfigMap", raw));
    let refused = |r: Result<Value, Error>, want: &str| match r {
        Err(Error::Malformed(why)) => assert!(why.contains(want), "{why:?} lacks {want:?}"),
        other => panic!("expected Malformed({want:?}), got {other:?}"),
    };
    refused(decode(b""), "prefix");
    refused(decode(b"{\"kind\":\"ConfigMap\"}"), "prefix");
    refused(decode(b"k8s\0"), "no kind");
    refused(decode(b"k8s\0\x12\xff\xff"), "varint");
    refused(cm(&[0x0a, 0x80]), "varint is cut off");
    refused(cm(&[0x0a, 0x05, b'a']), "past the end");
    refused(
        cm(&[0x0a, 0x02, 0x0a, 0x09]),
        "ConfigMap at metadata: a field runs past",
    );
    refused(
        cm(&bytes(1, &int(1, 5))),
        "metadata.name: expected a length-delimited",
    );
    refused(cm(&bytes(1, &text(7, "x"))), "expected a varint");
    refused(cm(&[0x0b]), "group");
    refused(cm(&[0x02, 0x00]), "number 0");
    refused(
        cm(&[
            0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
        ]),
        "ten bytes",
    );
    let e = object_from_body(CONTENT_TYPE, &envelope("v1", "ConfigMap", &[0x0a, 0x05]))
        .expect_err("refused");
    assert_eq!((e.code, e.reason), (400, "BadRequest"));
    assert!(
        e.message
            .starts_with("the protobuf body could not be decoded: "),
        "{}",
        e.message
    );
}

#[test]
fn every_truncation_and_bit_flip_of_a_real_body_is_handled() {
    let body = envelope("apps/v1", "Deployment", &deployment(2));
    for end in 0..body.len() {
        let _ = decode(&body[..end]);
    }
    for i in 0..body.len() {
        for bit in 0..8 {
            let mut b = body.clone();
            b[i] ^= 1 << bit;
            let _ = decode(&b);
        }
    }
}

static NESTED: Message = Message {
    fields: &[f(1, "child", Kind::Embedded(&NESTED))],
};

#[test]
fn nesting_is_capped() {
    let nest = |depth: usize| (0..depth).fold(text(2, "leaf"), |inner, _| bytes(1, &inner));
    assert!(decode_message(&nest(MAX_DEPTH), &NESTED, 0).is_ok());
    let e = decode_message(&nest(MAX_DEPTH + 5), &NESTED, 0).expect_err("too deep");
    assert!(e.what.contains("nested"), "{}", e.what);
    assert_eq!(e.path.len(), MAX_DEPTH + 1);
}

#[test]
fn reads_what_kubectl_auth_can_i_sends() {
    let attrs = [
        text(1, "production"),
        text(2, "patch"),
        text(3, "apps"),
        text(4, ""),
        text(5, "deployments"),
    ]
    .concat();
    let spec = bytes(1, &attrs);
    let ssar = [bytes(1, &meta("", &[])), bytes(2, &spec)].concat();
    let body = envelope("authorization.k8s.io/v1", "SelfSubjectAccessReview", &ssar);
    let v = self_subject_access_review(&body).expect("decodes");
    assert_eq!(
        v["spec"],
        json!({"resourceAttributes": {
            "namespace": "production",
            "verb": "patch",
            "group": "apps",
            "resource": "deployments",
        }})
    );
    let cm = envelope("v1", "ConfigMap", &bytes(1, &meta("x", &[])));
    assert!(self_subject_access_review(&cm).is_none());
    assert!(self_subject_access_review(b"k8s\0\x12\xff\xff").is_none());
}
