//! The resources a server serves, as discovery lists them (`/api/v1`,
//! `/apis/<group>/<version>`), and how a word typed after `:` names one
//! the way kubectl resolves `kubectl get <word>`: plural, singular, kind,
//! short name, or any of these qualified by the group (`certificates.
//! cert-manager.io`). Custom resources are resources like any other here.

/// One resource of one group version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKind {
    /// "" for the core group.
    pub group: String,
    pub version: String,
    /// As in URLs: `services`, `certificates`.
    pub plural: String,
    pub singular: String,
    pub kind: String,
    pub namespaced: bool,
    pub short_names: Vec<String>,
    pub verbs: Vec<String>,
}

impl ApiKind {
    /// `v1`, `apps/v1`.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// The resource's name as kubectl prints it in `api-resources` and
    /// accepts everywhere: `services`, `certificates.cert-manager.io`.
    pub fn qualified(&self) -> String {
        if self.group.is_empty() {
            self.plural.clone()
        } else {
            format!("{}.{}", self.plural, self.group)
        }
    }

    pub fn can(&self, verb: &str) -> bool {
        self.verbs.iter().any(|v| v == verb)
    }

    /// Whether it can be shown as a live list (list and watch).
    pub fn browsable(&self) -> bool {
        self.can("list") && self.can("watch")
    }

    /// The words that name it without its group: plural, singular, kind
    /// and short names, lower case.
    fn names(&self) -> impl Iterator<Item = String> + '_ {
        [
            self.plural.clone(),
            self.singular.clone(),
            self.kind.to_lowercase(),
        ]
        .into_iter()
        .chain(self.short_names.iter().map(|s| s.to_lowercase()))
        .filter(|s| !s.is_empty())
    }

    /// Whether `word` (lower case) names it, with or without its group.
    fn answers_to(&self, word: &str) -> bool {
        self.names().any(|n| {
            n == word
                || (!self.group.is_empty()
                    && word
                        .strip_prefix(n.as_str())
                        .and_then(|rest| rest.strip_prefix('.'))
                        .is_some_and(|g| g == self.group || self.group_version_is(g)))
        })
    }

    /// `v1.cert-manager.io` as in `certificates.v1.cert-manager.io`.
    fn group_version_is(&self, g: &str) -> bool {
        g.strip_prefix(self.version.as_str())
            .and_then(|rest| rest.strip_prefix('.'))
            .is_some_and(|rest| rest == self.group)
    }
}

/// Subresources (`pods/log`) are not listable on their own and are left
/// out by discovery parsing; this tells them apart.
pub fn is_subresource(name: &str) -> bool {
    name.contains('/')
}

/// Why a word names no resource, in words for the footer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unresolved {
    /// Nothing answers to it; the nearest names, if any.
    Unknown { near: Vec<String> },
    /// It names a resource that cannot be listed and watched.
    NotListable(String),
}

/// The resource `word` names, as kubectl picks it: among the resources
/// that answer to it, the core group first, then the groups in the order
/// discovery gave them (the server's preference); the first version
/// listed of a group is its preferred one.
pub fn resolve<'a>(kinds: &'a [ApiKind], word: &str) -> Result<&'a ApiKind, Unresolved> {
    let word = word.trim().to_lowercase();
    let mut candidates = kinds.iter().filter(|k| k.answers_to(&word));
    let first_core = kinds
        .iter()
        .filter(|k| k.group.is_empty())
        .find(|k| k.answers_to(&word));
    match first_core.or_else(|| candidates.next()) {
        Some(k) if k.browsable() => Ok(k),
        Some(k) => Err(Unresolved::NotListable(k.qualified())),
        None => {
            let mut near: Vec<String> = kinds
                .iter()
                .filter(|k| k.browsable())
                .map(|k| k.plural.clone())
                .filter(|p| super::spelling::near(&word, p))
                .collect();
            near.sort();
            near.dedup();
            Err(Unresolved::Unknown { near })
        }
    }
}

/// The words `:` completes for resources: each listable resource's plural,
/// and its qualified name where two groups share a plural.
pub fn completions(kinds: &[ApiKind]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for k in kinds.iter().filter(|k| k.browsable()) {
        let shared = kinds
            .iter()
            .any(|o| o.plural == k.plural && o.group != k.group && o.browsable());
        out.push(if shared {
            k.qualified()
        } else {
            k.plural.clone()
        });
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests;
