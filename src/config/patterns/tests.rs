use super::*;

fn defaults() -> Vec<String> {
    vec!["prod".into(), "production".into()]
}

#[test]
fn words_match_whole_words_ignoring_case() {
    for name in [
        "prod",
        "PROD",
        "gke_acme-prod_europe-west1_main",
        "arn:aws:eks:us-east-1:1234:cluster/production",
        "production-eu",
    ] {
        assert!(matches_production(name, &defaults()), "{name}");
    }
    for name in ["product-demo", "staging", "warroom-sim", "preprod", ""] {
        assert!(!matches_production(name, &defaults()), "{name}");
    }
}

#[test]
fn globs_cover_the_whole_name() {
    let p = vec!["*-live".to_string(), "eks-*".to_string()];
    assert!(matches_production("shop-live", &p));
    assert!(matches_production("eks-anything", &p));
    assert!(!matches_production("shop-live-2", &p));
    assert!(matches_production("x", &["*".to_string()]));
    assert!(!matches_production("x", &[String::new()]));
}
