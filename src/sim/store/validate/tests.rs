use super::*;
use crate::sim::store::resources;

#[test]
fn odd_shapes_are_refused_before_anything_touches_them() {
    let bad = [
        json!({"metadata": "x"}),
        json!({"metadata": {"name": "a", "labels": "app=web"}}),
        json!({"metadata": {"name": "a", "annotations": {"n": 1}}}),
        json!({"metadata": {"name": "a"}, "spec": [1, 2]}),
        json!({"metadata": {"name": "a"}, "spec": {"template": {"metadata": {"labels": ["x"]}}}}),
        json!({"metadata": {"name": "a"}, "spec": {"template": {"spec": 3}}}),
    ];
    for obj in bad {
        assert!(!check_shape(&obj).is_empty(), "{obj}");
    }
    assert!(
        check_shape(&json!({"metadata": {"name": "a", "labels": {"app": "web"}}, "spec": {}}))
            .is_empty()
    );
}

#[test]
fn defaulting_never_panics_on_what_shape_checks_let_through() {
    let rt = resources::find("apps", "v1", "deployments").expect("deployments");
    let mut d = json!({"metadata": {"name": "a"}, "spec": {"strategy": {"type": "RollingUpdate", "rollingUpdate": 5}, "template": {"spec": {"containers": [1, {"image": "x", "ports": ["p"], "readinessProbe": {"httpGet": 7}}]}}}});
    default_object(rt, &mut d);
    assert_eq!(d["spec"]["replicas"], 1);
    assert!(
        !validate(rt, &d, None).is_empty(),
        "a container that is not an object is invalid"
    );
}
