//! Executes the silence changes ([`Mutation::Silence`],
//! [`Mutation::ExpireSilence`]) against the Alertmanager that reported the
//! alert. Only the app's effect executor calls this, after its read-only
//! check. Alertmanager has no dry run: the "dry run" checks the change
//! here and sends nothing.

use jiff::{SignedDuration, Timestamp};

use super::alertmanager::AlertmanagerClient;
use crate::model::action::{ActionError, ActionOutcome, Mutation, minutes_text};
use crate::model::alert::NewSilence;

/// Makes or expires a silence. Times are the wall clock's: Alertmanager
/// judges silences by its own clock, whatever clock the console shows.
pub async fn execute(
    clients: &[AlertmanagerClient],
    mutation: &Mutation,
    dry_run: bool,
) -> Result<ActionOutcome, ActionError> {
    let find = |name: &str| {
        clients.iter().find(|c| c.name() == name).ok_or_else(|| {
            ActionError::NotFound(format!(
                "no Alertmanager named {name:?} is configured for this context"
            ))
        })
    };
    let outcome = |message: String| ActionOutcome {
        message,
        revision_before: None,
        revision_after: None,
    };
    match mutation {
        Mutation::Silence {
            alertmanager,
            matchers,
            minutes,
            comment,
            created_by,
            ..
        } => {
            let client = find(alertmanager)?;
            if matchers.is_empty() {
                return Err(ActionError::Invalid(
                    "a silence needs at least one matcher".into(),
                ));
            }
            if comment.trim().is_empty() {
                return Err(ActionError::Invalid("a silence needs a comment".into()));
            }
            if dry_run {
                return Ok(outcome(format!(
                    "checked here: {} matcher(s) for {} (Alertmanager has no dry run; nothing was sent)",
                    matchers.len(),
                    minutes_text(*minutes)
                )));
            }
            let starts_at = Timestamp::now();
            let ends_at = starts_at
                .checked_add(SignedDuration::from_mins(i64::from(*minutes)))
                .map_err(|e| ActionError::Invalid(format!("silence end: {e}")))?;
            let silence = NewSilence {
                matchers: matchers.clone(),
                starts_at,
                ends_at,
                created_by: created_by.clone(),
                comment: comment.clone(),
            };
            let id = client
                .create_silence(&silence)
                .await
                .map_err(ActionError::Failed)?;
            Ok(outcome(format!(
                "silence {id} created in {alertmanager} for {}",
                minutes_text(*minutes)
            )))
        }
        Mutation::ExpireSilence {
            alertmanager, id, ..
        } => {
            let client = find(alertmanager)?;
            if dry_run {
                return Ok(outcome(format!(
                    "checked here: silence {id} in {alertmanager} (Alertmanager has no dry run; nothing was sent)"
                )));
            }
            client
                .expire_silence(id)
                .await
                .map_err(ActionError::Failed)?;
            Ok(outcome(format!("silence {id} expired in {alertmanager}")))
        }
        _ => Err(ActionError::Failed(
            "not a silence: workload changes go to the cluster".into(),
        )),
    }
}
