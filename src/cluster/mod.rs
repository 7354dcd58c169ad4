//! All kube-rs I/O: the client from kubeconfig/context, watchers turned into
//! Msgs, actions, logs and access reviews. Filled by the live-view issue.
