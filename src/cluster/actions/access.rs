//! May the user do it? One SelfSubjectAccessReview (authorization.k8s.io/v1)
//! per [`AccessCheck`], as `kubectl auth can-i` asks it.

use k8s_openapi::api::authorization::v1::{
    ResourceAttributes, SelfSubjectAccessReview, SelfSubjectAccessReviewSpec,
    SubjectAccessReviewStatus,
};
use kube::Client;
use kube::api::{Api, PostParams};

use crate::cluster::errors::describe_kube_error;
use crate::model::action::{Access, AccessCheck};

/// Asks the API server about one check. A review that could not be made
/// is [`Access::Unknown`]: the action stays possible, the server decides.
pub async fn review_one(client: &Client, check: &AccessCheck) -> Access {
    let reviews: Api<SelfSubjectAccessReview> = Api::all(client.clone());
    match reviews
        .create(&PostParams::default(), &request(check))
        .await
    {
        Ok(answer) => access(answer.status.as_ref()),
        Err(e) => Access::Unknown(format!(
            "cannot ask whether you may {}: {}",
            check.describe(),
            describe_kube_error(&e, "")
        )),
    }
}

/// The review's question; an empty subresource or name is left out (the
/// resource itself, any object of it).
fn request(check: &AccessCheck) -> SelfSubjectAccessReview {
    let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
    SelfSubjectAccessReview {
        spec: SelfSubjectAccessReviewSpec {
            resource_attributes: Some(ResourceAttributes {
                namespace: some(&check.namespace),
                group: Some(check.group.to_string()),
                resource: Some(check.resource.to_string()),
                subresource: some(check.subresource),
                verb: Some(check.verb.to_string()),
                name: some(&check.name),
                ..ResourceAttributes::default()
            }),
            ..SelfSubjectAccessReviewSpec::default()
        },
        ..SelfSubjectAccessReview::default()
    }
}

fn access(status: Option<&SubjectAccessReviewStatus>) -> Access {
    let Some(status) = status else {
        return Access::Unknown("the access review came back without an answer".into());
    };
    if status.allowed && status.denied != Some(true) {
        return Access::Allowed;
    }
    let why = said(status.reason.as_deref())
        .or_else(|| said(status.evaluation_error.as_deref()))
        .unwrap_or("not allowed by RBAC");
    Access::Denied(why.to_string())
}

/// A reason the server gave, unless blank.
fn said(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests;
