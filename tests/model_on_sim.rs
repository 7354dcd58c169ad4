//! The model against the simulated cluster's own objects: what the sim's
//! kubelet and controllers write during an incident goes through the same
//! conversions a watcher applies, and the model's readings (health,
//! explanations, rollouts, detectors) are asserted on what a real cluster's
//! objects look like rather than on shapes written by hand.

#[path = "model_on_sim/conversions.rs"]
mod conversions;
#[path = "model_on_sim/detectors.rs"]
mod detectors;
