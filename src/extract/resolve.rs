//! Extraction's name resolution: the rules of [`crate::resolution`], shared with `dedupe` and
//! `import`, under the name the extraction stages use.

pub use crate::resolution::{
    Known, Reason, compare, initials, is_surname_of, key, only_titles, same, skeleton, words,
};
