// TEMPORARY build stub until the controllers helper writes this file; overwrite freely.
pub fn sync(_w: &mut crate::sim::world::World, _ns: &str, _name: &str) {}
