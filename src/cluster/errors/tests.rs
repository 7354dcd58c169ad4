use super::*;

fn status(code: u16, reason: &str, message: &str) -> Status {
    Status::failure(message, reason).with_code(code)
}

#[test]
fn forbidden_reads_as_who_cannot_do_what_where() {
    let s = status(
        403,
        "Forbidden",
        "nodes is forbidden: User \"warroom-viewer\" cannot list resource \"nodes\" in API group \"\" at the cluster scope",
    );
    assert_eq!(
        describe_status(&s),
        "403 Forbidden: user \"warroom-viewer\" cannot list nodes at the cluster scope"
    );
    let s = status(
        403,
        "Forbidden",
        "pods is forbidden: User \"bob\" cannot watch resource \"pods\" in API group \"\" in the namespace \"shop\"",
    );
    assert_eq!(
        describe_status(&s),
        "403 Forbidden: user \"bob\" cannot watch pods in namespace shop"
    );
    let odd = status(403, "Forbidden", "RBAC: access denied");
    assert_eq!(describe_status(&odd), "403 Forbidden: RBAC: access denied");
}

#[test]
fn other_statuses_carry_code_phrase_and_message() {
    assert_eq!(
        describe_status(&status(401, "Unauthorized", "Unauthorized")),
        "401 Unauthorized: credentials rejected or expired"
    );
    assert_eq!(
        describe_status(&status(
            500,
            "InternalError",
            "Internal error occurred: etcd"
        )),
        "500 Internal Server Error: Internal error occurred: etcd"
    );
    assert_eq!(
        describe_status(&status(418, "Teapot", "short and stout")),
        "418 Teapot: short and stout"
    );
}

#[test]
fn gone_is_not_an_outage() {
    let gone = watcher::Error::WatchError(Box::new(status(410, "Expired", "too old")));
    assert!(describe_watch_error(&gone, "http://x").is_none());
    let denied = watcher::Error::InitialListFailed(kube::Error::Api(Box::new(status(
        401,
        "Unauthorized",
        "Unauthorized",
    ))));
    assert_eq!(
        describe_watch_error(&denied, "http://x").as_deref(),
        Some("401 Unauthorized: credentials rejected or expired")
    );
}

#[test]
fn yaml_positions_are_found_in_the_parser_text() {
    assert_eq!(
        yaml_position("did not find expected key at line 3, column 7\n  | x"),
        Some((3, 7))
    );
    assert_eq!(
        yaml_position("error: line 4 column 12: expected mapping start"),
        Some((4, 12))
    );
    assert_eq!(yaml_position("no position"), None);
    assert_eq!(
        yaml_message("did not find expected key at line 3, column 7\n 3 | x"),
        "did not find expected key"
    );
    assert_eq!(
        yaml_message("error: line 4 column 12: expected mapping start\n --> <input>:4:12"),
        "expected mapping start"
    );
}

#[test]
fn refused_connections_say_so() {
    let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "os error 111");
    let wrapped = kube::Error::ReadEvents(io);
    assert_eq!(
        describe_kube_error(&wrapped, "https://10.0.0.1:6443"),
        "cannot reach https://10.0.0.1:6443: connection refused"
    );
}
