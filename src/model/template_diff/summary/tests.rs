use super::split_image;

#[test]
fn images_split_into_repository_and_version() {
    assert_eq!(
        split_image("registry.local/shop/checkout-service:2.3.0"),
        ("registry.local/shop/checkout-service", "2.3.0")
    );
    assert_eq!(
        split_image("localhost:5000/app"),
        ("localhost:5000/app", "")
    );
    assert_eq!(
        split_image("localhost:5000/app:1@sha256:ab"),
        ("localhost:5000/app", "1@sha256:ab")
    );
    assert_eq!(split_image("app@sha256:ab"), ("app", "@sha256:ab"));
    assert_eq!(split_image(""), ("", ""));
    assert_eq!(split_image(":"), ("", ""));
    assert_eq!(split_image("@"), ("", "@"));
}
