use super::*;

#[test]
fn a_throwaway_ca_signs_a_loopback_serving_certificate() {
    let certs = Certificates::throwaway().expect("certificates");
    assert!(
        certs.ca_pem.starts_with("-----BEGIN CERTIFICATE-----"),
        "{}",
        certs.ca_pem
    );
    // Each start makes its own CA.
    let again = Certificates::throwaway().expect("certificates");
    assert_ne!(certs.ca_pem, again.ca_pem);
    assert_eq!(certs.config.alpn_protocols, [b"http/1.1".to_vec()]);
}
