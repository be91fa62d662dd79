//! Secrets engines that can be mounted with `sys/mounts`.

pub mod kv;
