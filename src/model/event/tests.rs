//! Unit tests with real-shaped objects.
