//! A set's manifest: what the set holds and how to check it. Written last, as
//! `sets/{id}/manifest.json`, so a set without one is unfinished and never listed.

use educenter_domain::backup::CopyFormat;
use educenter_store::backup::{CopyDigest, TableDigest};
use hmac::{Hmac, KeyInit, Mac};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use super::crypt::Key;

/// The manifest's format; a reader refuses any other.
pub const FORMAT: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub set: String,
    pub created_at: Timestamp,
    /// `sqlite` or `postgres`.
    pub engine: String,
    /// The last migration the database had.
    pub schema_version: i64,
    /// The public half of the key the set is encrypted to.
    pub key: String,
    pub database: Object,
    pub tables: Vec<TableDigest>,
    pub media: Vec<MediaObject>,
    /// HMAC-SHA256 of the manifest without this field, keyed from the backup key: a manifest
    /// anyone else wrote, or changed, does not open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mac: Option<String>,
}

/// The database's copy in the target: its key, size and SHA-256 as stored (encrypted), and
/// how it was made.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Object {
    pub object: String,
    pub bytes: u64,
    pub sha256: String,
    /// How the copy was made (compressed with zstd before it was encrypted).
    pub format: CopyFormat,
}

/// One stored file the database names, by its content: the backup keeps one copy of each
/// content however many sets and schools name it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct MediaObject {
    /// SHA-256 of the plain file.
    pub sha256: String,
    /// Its size, plain.
    pub bytes: u64,
    /// Its key in the backup target (encrypted).
    pub object: String,
}

/// Where a set's parts go in the target.
pub fn set_prefix(set: &str) -> String {
    format!("sets/{set}")
}

pub fn manifest_key(set: &str) -> String {
    format!("sets/{set}/manifest.json")
}

/// A stored file's object: under the key's id, so that a set sealed to a new key never
/// names a file sealed to the old one.
pub fn media_key(key_id: &str, sha256: &str) -> String {
    format!("media/{key_id}/{sha256}.age")
}

fn mac_of(m: &Manifest, key: &Key) -> anyhow::Result<String> {
    let mut plain = m.clone();
    plain.mac = None;
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&key.mac_key())
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    mac.update(&serde_json::to_vec(&plain)?);
    Ok(hex::encode(mac.finalize().into_bytes()))
}

/// The manifest as stored: JSON with its MAC.
pub fn seal(mut m: Manifest, key: &Key) -> anyhow::Result<Vec<u8>> {
    m.mac = Some(mac_of(&m, key)?);
    Ok(serde_json::to_vec_pretty(&m)?)
}

/// A stored manifest, read and checked: its format, its key and its MAC.
pub fn open(bytes: &[u8], key: &Key) -> anyhow::Result<Manifest> {
    let m: Manifest =
        serde_json::from_slice(bytes).map_err(|e| anyhow::anyhow!("it does not read: {e}"))?;
    if m.format != FORMAT {
        anyhow::bail!("it is of format {}, not {FORMAT}", m.format);
    }
    if m.key != key.public() {
        anyhow::bail!(
            "it is sealed to {}, not to the configured key {}",
            m.key,
            key.public()
        );
    }
    let expected = mac_of(&m, key)?;
    let given = m.mac.as_deref().unwrap_or_default();
    // Compared in constant time.
    let same = given.len() == expected.len()
        && given
            .bytes()
            .zip(expected.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if !same {
        anyhow::bail!("its MAC does not match: it was changed, or written without the key");
    }
    Ok(m)
}

/// How a copy differs from what the manifest says: one line per table or fact that differs.
pub fn differences(m: &Manifest, found: &CopyDigest) -> Vec<String> {
    let mut out = Vec::new();
    if m.schema_version != found.schema_version {
        out.push(format!(
            "schema version {} in the manifest, {} in the copy",
            m.schema_version, found.schema_version
        ));
    }
    for t in &m.tables {
        match found.tables.iter().find(|f| f.name == t.name) {
            None => out.push(format!("table {} is missing", t.name)),
            Some(f) if f.rows != t.rows => out.push(format!(
                "table {}: {} rows in the manifest, {} in the copy",
                t.name, t.rows, f.rows
            )),
            Some(f) if f.sha256 != t.sha256 => out.push(format!(
                "table {}: its rows differ from the manifest",
                t.name
            )),
            Some(_) => {}
        }
    }
    for f in &found.tables {
        if !m.tables.iter().any(|t| t.name == f.name) {
            out.push(format!("table {} is not in the manifest", f.name));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digest(rows: i64, sha: &str) -> CopyDigest {
        CopyDigest {
            schema_version: 23,
            tables: vec![TableDigest {
                name: "tenants".into(),
                rows,
                sha256: sha.into(),
            }],
        }
    }

    fn manifest(key: &Key) -> Manifest {
        Manifest {
            format: FORMAT,
            set: "20270301T010000Z-0a1b2c3d".into(),
            created_at: "2027-03-01T01:00:00Z".parse().unwrap(),
            engine: "sqlite".into(),
            schema_version: 23,
            key: key.public(),
            database: Object {
                object: "sets/x/database.sqlite.zst.age".into(),
                bytes: 10,
                sha256: "00".into(),
                format: CopyFormat::Sqlite,
            },
            tables: digest(2, "aa").tables,
            media: Vec::new(),
            mac: None,
        }
    }

    #[test]
    fn rows_or_checksums_that_differ_are_each_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k");
        Key::generate(&path, "2027-03-01T00:00:00Z".parse().unwrap()).unwrap();
        let m = manifest(&Key::load(&path).unwrap());
        assert!(differences(&m, &digest(2, "aa")).is_empty());
        assert_eq!(
            differences(&m, &digest(3, "aa")),
            ["table tenants: 2 rows in the manifest, 3 in the copy"]
        );
        assert_eq!(
            differences(&m, &digest(2, "bb")),
            ["table tenants: its rows differ from the manifest"]
        );
        let mut other = digest(2, "aa");
        other.schema_version = 22;
        other.tables[0].name = "users".into();
        assert_eq!(differences(&m, &other).len(), 3);
    }

    #[test]
    fn a_manifest_changed_or_sealed_to_another_key_does_not_open() {
        let dir = tempfile::tempdir().unwrap();
        let at = "2027-03-01T00:00:00Z".parse().unwrap();
        Key::generate(&dir.path().join("a"), at).unwrap();
        Key::generate(&dir.path().join("b"), at).unwrap();
        let a = Key::load(&dir.path().join("a")).unwrap();
        let b = Key::load(&dir.path().join("b")).unwrap();
        let sealed = seal(manifest(&a), &a).unwrap();
        assert_eq!(open(&sealed, &a).unwrap().tables[0].rows, 2);
        assert!(open(&sealed, &b).is_err());
        let changed = String::from_utf8(sealed)
            .unwrap()
            .replace("\"rows\": 2", "\"rows\": 3");
        let e = open(changed.as_bytes(), &a).unwrap_err().to_string();
        assert!(e.contains("MAC"), "{e}");
    }
}
