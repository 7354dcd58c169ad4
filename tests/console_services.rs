//! Services and Ingresses as users feel them, in the real binary against
//! the demo: `no-endpoints` (a label change leaves checkout-service's
//! Service selecting no pod, every pod still Running and Ready) shows in
//! `:svc` first, `0/0`, in the failing colour, explained; the
//! ServiceNoEndpoints alert fires after its grace and enter on it opens the
//! Service; `:ing` says which backend has no ready endpoints.

mod common;

use common::pty::demo_with;

/// The table row (left pane) of `name`: its screen row and text. The
/// detail pane beside it shares screen lines, so the row is told by where
/// the name stands, not by the name alone.
fn table_row(console: &common::pty::Console, name: &str) -> Option<(u16, String)> {
    let prefix = format!("│{name} ");
    console
        .screen()
        .lines()
        .enumerate()
        .find(|(_, l)| l.starts_with(&prefix))
        .map(|(i, l)| (i as u16, l.to_string()))
}

fn vt_color(style: ratatui::style::Style) -> vt100::Color {
    match style.fg {
        Some(ratatui::style::Color::Indexed(i)) => vt100::Color::Idx(i),
        Some(ratatui::style::Color::Rgb(r, g, b)) => vt100::Color::Rgb(r, g, b),
        other => panic!("test expects an indexed or RGB colour, theme has {other:?}"),
    }
}

#[test]
fn a_service_selecting_no_pod_sorts_first_explains_itself_and_alerts() {
    let (mut console, port) = demo_with("no-endpoints", 200, 50, &[], &[]);
    console.wait_for("1 of 12");
    console.send(":svc");
    console.enter();
    console.wait_for("services · production");
    console.wait_for("the server's columns and warroom's");
    console.wait_for("ENDPOINTS");
    // Calm at first: every Service that selects pods has them ready.
    console.wait_until("checkout-service with its endpoints ready", |s| {
        s.contents()
            .lines()
            .any(|l| l.starts_with("│checkout-service") && l.contains(" ok "))
    });
    // The selector loses its "-service": nothing is selected any more.
    console.advance_until(port, "selects no pod", 5, 120);
    let (row, text) = table_row(&console, "checkout-service").expect("its row");
    assert!(
        text.contains("0/0") && text.contains("selects no pod"),
        "{text}"
    );
    let (other, _) = table_row(&console, "api-server").expect("api-server's row");
    assert!(
        row < other,
        "checkout-service sorts first:\n{}",
        console.screen()
    );
    let theme = warroom::config::theme::Theme::default();
    let col = text
        .find("checkout-service")
        .map(|b| text[..b].chars().count() as u16)
        .unwrap();
    assert_eq!(console.fg(row, col), Some(vt_color(theme.status_error)));
    // `!`: only the problems.
    console.send("!");
    console.wait_for("problems only");
    console.wait_until("only checkout-service listed", |s| {
        let c = s.contents();
        c.contains("│checkout-service") && !c.contains("│api-server")
    });
    // The detail: the selector, no endpoint, what it means for traffic.
    console.enter();
    console.wait_for("app=checkout");
    console.wait_for("none: its selector matches no pod in production");
    console.wait_for("kube-proxy has no pod");
    console.send("\t");
    console.read_on_until("kubernetes.io/service-name=checkout-service");
    console.send("\t");
    console.esc();
    // A minute without endpoints: the detector says so, and enter on its
    // alert opens the Service.
    console.send("5");
    console.wait_for("Alerts ·");
    console.advance_until(port, "ServiceNoEndpoints", 15, 240);
    console.wait_for("Service checkout-service has no ready endpoints");
    console.send("/ServiceNoEndpoints");
    console.enter();
    console.enter();
    console.wait_for("services · production");
    console.wait_for("none: its selector matches no pod in production");
    console.leave_and_quit("Pods");
}

#[test]
fn an_ingress_names_the_backend_that_has_no_ready_endpoints() {
    let (mut console, port) = demo_with("no-endpoints", 200, 50, &[], &[]);
    console.wait_for("1 of 12");
    console.send(":ing");
    console.enter();
    console.wait_for("ingresses.networking.k8s.io · production");
    console.wait_for("BACKENDS");
    console.wait_for("2/2 ready");
    console.advance_until(port, "no ready endpoints: checkout-service", 5, 120);
    let (_, text) = table_row(&console, "shop").expect("the shop Ingress");
    assert!(text.contains("1/2 ready"), "{text}");
    console.enter();
    console.wait_for("shop.example.com/api");
    console.wait_for("shop.example.com/api → api-server:8080 · ok (3/3 ready)");
    console.wait_for("shop.example.com/checkout → checkout-service:8080 · selects no pod");
    console.wait_for("users get 503");
    console.leave_and_quit("Pods");
}

#[test]
fn a_pod_names_the_services_that_select_it_and_a_workload_its_ingress() {
    let (mut console, _port) = demo_with("calm", 200, 50, &[], &[]);
    console.wait_for("1 of 12");
    console.send("/api-server");
    console.enter();
    console.wait_for("api-server (ready endpoint: gets traffic)");
    console.send("2");
    console.wait_for("Workloads ·");
    console.send("/api-server");
    console.enter();
    console.wait_for("Deployment api-server");
    console.wait_for("api-server 3/3 ready · via ingress shop");
    console.leave_and_quit("Pods");
}
