//! The transparency report: figures for a period, computed from the store, and their
//! renderings (CSV, and one self-contained HTML file with SVG charts).

pub mod render;
pub mod svg;
