use super::*;

#[test]
fn paths_follow_the_namespace_choice() {
    assert_eq!(
        pods_path(Some("shop")),
        "/apis/metrics.k8s.io/v1beta1/namespaces/shop/pods"
    );
    assert_eq!(pods_path(None), "/apis/metrics.k8s.io/v1beta1/pods");
}

#[test]
fn only_a_404_means_not_served() {
    let status = |code| {
        kube::Error::Api(Box::new(
            kube::core::Status::failure("x", "y").with_code(code),
        ))
    };
    assert!(not_served(&status(404)));
    assert!(!not_served(&status(403)));
    assert!(!not_served(&status(503)));
}
