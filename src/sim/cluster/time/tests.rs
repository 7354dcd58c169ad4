use super::*;

#[test]
fn arithmetic_on_client_numbers_saturates() {
    let t: Timestamp = "2026-03-02T09:00:00Z".parse().expect("time");
    assert_eq!(after(t, i64::MAX), Timestamp::MAX);
    assert_eq!(after(t, i64::MIN), Timestamp::MIN);
    assert_eq!(
        after(t, 30),
        "2026-03-02T09:00:30Z".parse::<Timestamp>().expect("time")
    );
}

#[test]
fn times_print_as_kubernetes_prints_them() {
    let t: Timestamp = "2026-03-02T09:00:05.120Z".parse().expect("time");
    assert_eq!(k8s_time(t), "2026-03-02T09:00:05Z");
    assert_eq!(k8s_micro_time(t), "2026-03-02T09:00:05.120000Z");
    assert_eq!(rfc3339_nano(t), "2026-03-02T09:00:05.12Z");
    let whole: Timestamp = "2026-03-02T09:00:05Z".parse().expect("time");
    assert_eq!(rfc3339_nano(whole), "2026-03-02T09:00:05Z");
}
