// TEMPORARY build stub until the controllers helper writes this file; overwrite freely.
pub fn schedule(
    _w: &mut crate::sim::world::World,
    _p: std::collections::BTreeSet<(String, String)>,
) {
}
