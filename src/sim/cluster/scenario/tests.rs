use super::*;

#[test]
fn names_round_trip() {
    for n in ScenarioName::ALL {
        assert_eq!(n.as_str().parse::<ScenarioName>(), Ok(n));
    }
    assert!(
        "chaos"
            .parse::<ScenarioName>()
            .unwrap_err()
            .contains("bad-deploy")
    );
}
