//! The kubeconfig `warroom sim serve` writes, so that kubectl, kube-rs and
//! warroom itself connect to the sim exactly as to any cluster.

use std::io::Write;
use std::path::Path;

/// The name of the cluster, context and user in the kubeconfig.
const NAME: &str = "warroom-sim";

/// The kubeconfig text for a sim at `server` (an `http://` URL).
pub fn render(server: &str, token: Option<&str>, namespace: &str) -> String {
    render_with_ca(server, token, namespace, None)
}

/// The kubeconfig text for a sim at `server`; with `ca_pem` (an `https://`
/// server, `sim serve --tls`) the cluster trusts that CA, as a real
/// cluster's kubeconfig does, in `certificate-authority-data`.
pub fn render_with_ca(
    server: &str,
    token: Option<&str>,
    namespace: &str,
    ca_pem: Option<&str>,
) -> String {
    use base64::Engine;
    let ca = match ca_pem {
        Some(pem) => format!(
            "    certificate-authority-data: {}\n",
            base64::engine::general_purpose::STANDARD.encode(pem)
        ),
        None => String::new(),
    };
    let user = match token {
        // Quoted: a token is arbitrary text.
        Some(t) => format!("    token: {}\n", serde_json::Value::String(t.to_string())),
        None => "    {}\n".to_string(),
    };
    format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: {NAME}\n  cluster:\n{ca}    server: {server}\ncontexts:\n- name: {NAME}\n  context:\n    cluster: {NAME}\n    user: {NAME}\n    namespace: {namespace}\ncurrent-context: {NAME}\nusers:\n- name: {NAME}\n  user:\n{user}preferences: {{}}\n"
    )
}

/// Writes the kubeconfig with mode 0600 (it may hold a token), replacing any
/// file at `path`.
pub fn write(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("tmp");
    {
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut f = opts.open(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests;
