//! Seeded synthetic data (placeholder).
