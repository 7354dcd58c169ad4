//! Services and EndpointSlices through the reducer: the browse rows are
//! redone, the detectors look again, endpoints falling to none land in the
//! what-changed ring (not at a list), and a 403 is "not allowed".

use super::*;
use crate::model::cluster::WatchHealth;
use crate::model::service::tests::{service, slice};

fn services_state() -> State {
    let mut state = State::new(now(), Some("shop".into()));
    let _ = update(
        &mut state,
        cluster(
            0,
            ClusterChange::Services(Change::Replaced(vec![service("cart", Some("cart"))])),
        ),
    );
    let _ = update(
        &mut state,
        cluster(
            0,
            ClusterChange::EndpointSlices(Change::Replaced(vec![slice(
                "cart-a",
                "cart",
                &[("cart-1", Some(true)), ("cart-2", Some(true))],
            )])),
        ),
    );
    state
}

fn ring(state: &State) -> Vec<String> {
    state.changes.iter().map(|c| c.text.clone()).collect()
}

#[test]
fn endpoints_falling_to_none_are_news_and_redo_the_browse_rows() {
    let mut state = services_state();
    assert!(state.cluster.network.listed());
    assert!(ring(&state).iter().all(|t| !t.contains("ready endpoints")));
    state.pending.browse = false;
    state.alerts.detect_pending = false;
    let _ = update(
        &mut state,
        cluster(
            0,
            ClusterChange::EndpointSlices(Change::Applied(vec![slice("cart-a", "cart", &[])])),
        ),
    );
    assert!(state.pending.browse, "the :svc rows read the slices");
    assert!(
        state.alerts.detect_pending,
        "ServiceNoEndpoints looks again"
    );
    let texts = ring(&state);
    assert!(
        texts
            .iter()
            .any(|t| t == "shop/cart: Service has no ready endpoints (had 2): its traffic fails"),
        "{texts:?}"
    );
    let entry = state.changes.iter().last().unwrap();
    assert!(entry.bad);
    assert_eq!(
        entry.object.as_ref().map(|o| o.kind.as_str()),
        Some("Service")
    );
    assert_eq!(
        state
            .cluster
            .network
            .no_ready_since
            .get(&crate::model::ObjectKey::new("shop", "cart")),
        Some(&now())
    );
}

#[test]
fn a_forbidden_slice_watch_is_not_allowed_not_an_outage() {
    let mut state = services_state();
    let _ = update(
        &mut state,
        cluster(
            0,
            ClusterChange::NotAllowed {
                resource: Resource::EndpointSlices,
                error: "endpointslices.discovery.k8s.io is forbidden".into(),
            },
        ),
    );
    assert!(matches!(
        state.cluster.watches.get(&Resource::EndpointSlices),
        Some(WatchHealth::NotAllowed(_))
    ));
    assert!(state.cluster.stale_since().is_none());
    assert!(Resource::EndpointSlices.optional() && Resource::Services.optional());
}
