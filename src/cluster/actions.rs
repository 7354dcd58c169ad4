//! Executes [`Mutation`]s with kube-rs — a server-side dry run
//! (`dryRun=All`) or for real — and asks the API server what the user may
//! do (SelfSubjectAccessReview). Only the app's effect executor calls
//! [`execute`], after its read-only check.

use jiff::Timestamp;
use kube::Client;

use crate::model::action::{Access, AccessCheck, ActionError, ActionOutcome, Mutation};

/// Runs `mutation` against the cluster; `dry_run` sends `dryRun=All` so
/// the server validates and admits it without persisting anything. `now`
/// stamps `restartedAt` (the sim's virtual clock in `demo`).
pub async fn execute(
    client: &Client,
    mutation: &Mutation,
    dry_run: bool,
    now: Timestamp,
) -> Result<ActionOutcome, ActionError> {
    let _ = (client, mutation, dry_run, now);
    Err(ActionError::Failed("not built yet".into()))
}

/// One SelfSubjectAccessReview per check, in order.
pub async fn review(client: &Client, checks: &[AccessCheck]) -> Vec<Access> {
    let _ = client;
    checks
        .iter()
        .map(|_| Access::Unknown("not built yet".into()))
        .collect()
}
