//! The backup key and what it does to a file: an age identity (X25519, age-encryption.org/v1)
//! kept in a file of its own, and files compressed with zstd and encrypted to it, so a set can
//! also be opened without this program (`age -d -i KEY | zstd -d`).

use std::{
    fs::File,
    io::{self, BufReader, BufWriter, Write},
    path::Path,
};

use age::secrecy::ExposeSecret;
use sha2::{Digest, Sha256};

/// How hard zstd works: its default, fast enough to run while the server serves.
const ZSTD_LEVEL: i32 = 3;

/// The key a backup set is encrypted to and decrypted with.
#[derive(Clone)]
pub struct Key {
    identity: age::x25519::Identity,
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The secret never reaches a log: only the public half.
        write!(f, "Key({})", self.public())
    }
}

impl Key {
    /// Writes a new key to `path`, which must not exist, readable by its owner only; returns
    /// the key's public half (`age1...`).
    pub fn generate(path: &Path, created: jiff::Timestamp) -> io::Result<String> {
        let identity = age::x25519::Identity::generate();
        let public = identity.to_public().to_string();
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(path)?;
        writeln!(file, "# EduCenter backup key, created: {created}")?;
        writeln!(file, "# public key: {public}")?;
        writeln!(file, "{}", identity.to_string().expose_secret())?;
        file.sync_all()?;
        Ok(public)
    }

    /// Reads a key file (an age identity file: comments start with `#`).
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("reading the backup key {}: {e}", path.display()))?;
        let line = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with('#'))
            .ok_or_else(|| anyhow::anyhow!("{} holds no key", path.display()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            if let Ok(meta) = std::fs::metadata(path)
                && meta.permissions().mode() & 0o077 != 0
            {
                tracing::warn!(
                    key = %path.display(),
                    "the backup key is readable by others: chmod 600 it"
                );
            }
        }
        let identity = line.parse::<age::x25519::Identity>().map_err(|_| {
            anyhow::anyhow!(
                "{} does not hold an age identity (AGE-SECRET-KEY-1...); \
                 `educenter backup keygen PATH` writes one",
                path.display()
            )
        })?;
        Ok(Self { identity })
    }

    /// The public half, `age1...`: it names the key in manifests and pages.
    pub fn public(&self) -> String {
        self.identity.to_public().to_string()
    }

    /// A short name of the key (16 hex digits of the public half's SHA-256), for the folder of
    /// the files sealed to it.
    pub fn id(&self) -> String {
        hex::encode(Sha256::digest(self.public().as_bytes()))[..16].to_owned()
    }

    /// The key of the manifests' MAC, derived from the secret.
    pub(super) fn mac_key(&self) -> Vec<u8> {
        let mut h = Sha256::new();
        h.update(b"educenter backup manifest\0");
        h.update(self.identity.to_string().expose_secret().as_bytes());
        h.finalize().to_vec()
    }
}

/// The size and SHA-256 of what was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub bytes: u64,
    pub sha256: String,
}

/// A writer that counts and hashes what passes through it.
struct Hashing<W> {
    inner: W,
    hash: Sha256,
    bytes: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<W> Hashing<W> {
    fn new(inner: W) -> Self {
        Self {
            inner,
            hash: Sha256::new(),
            bytes: 0,
        }
    }

    fn done(self) -> (W, Written) {
        (
            self.inner,
            Written {
                bytes: self.bytes,
                sha256: hex::encode(self.hash.finalize()),
            },
        )
    }
}

fn age_error(e: impl std::fmt::Display) -> io::Error {
    io::Error::other(format!("age: {e}"))
}

/// Encrypts `src` into a new file `dst`, compressed first when `compress`; returns the size and
/// SHA-256 of `dst`. Blocking.
pub fn seal(key: &Key, src: &Path, dst: &Path, compress: bool) -> io::Result<Written> {
    let recipient = key.identity.to_public();
    let out = Hashing::new(BufWriter::new(File::create_new(dst)?));
    let encryptor =
        age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
            .map_err(age_error)?;
    let mut sealed = encryptor.wrap_output(out)?;
    let mut input = BufReader::new(File::open(src)?);
    if compress {
        let mut z = zstd::stream::write::Encoder::new(&mut sealed, ZSTD_LEVEL)?;
        io::copy(&mut input, &mut z)?;
        z.finish()?;
    } else {
        io::copy(&mut input, &mut sealed)?;
    }
    let (mut file, written) = sealed.finish()?.done();
    file.flush()?;
    file.into_inner()
        .map_err(io::IntoInnerError::into_error)?
        .sync_all()?;
    Ok(written)
}

/// Decrypts `src` (and decompresses it when `compressed`) into `to`; returns the size and
/// SHA-256 of the plain bytes. A file damaged or sealed to another key fails. Blocking.
pub fn open(key: &Key, src: &Path, to: impl Write, compressed: bool) -> io::Result<Written> {
    let decryptor = age::Decryptor::new(BufReader::new(File::open(src)?)).map_err(age_error)?;
    let mut plain = decryptor
        .decrypt(std::iter::once(&key.identity as &dyn age::Identity))
        .map_err(age_error)?;
    let mut out = Hashing::new(to);
    if compressed {
        let mut z = zstd::stream::read::Decoder::new(plain)?;
        io::copy(&mut z, &mut out)?;
    } else {
        io::copy(&mut plain, &mut out)?;
    }
    let (mut to, written) = out.done();
    to.flush()?;
    Ok(written)
}

/// The size and SHA-256 of a file. Blocking.
pub fn digest(path: &Path) -> io::Result<Written> {
    let mut out = Hashing::new(io::sink());
    io::copy(&mut BufReader::new(File::open(path)?), &mut out)?;
    Ok(out.done().1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_file_opens_with_its_key_only_and_a_flipped_byte_fails() {
        let dir = tempfile::tempdir().unwrap();
        let at: jiff::Timestamp = "2027-03-01T02:00:00Z".parse().unwrap();
        let key_path = dir.path().join("key");
        let public = Key::generate(&key_path, at).unwrap();
        assert!(public.starts_with("age1"));
        assert!(
            Key::generate(&key_path, at).is_err(),
            "never overwrites a key"
        );
        let key = Key::load(&key_path).unwrap();
        assert_eq!(key.public(), public);
        assert!(!format!("{key:?}").contains("SECRET"));

        let src = dir.path().join("plain");
        let body = "Алма: 10 000 учеников\n".repeat(1000);
        std::fs::write(&src, &body).unwrap();
        let sealed = dir.path().join("sealed");
        let w = seal(&key, &src, &sealed, true).unwrap();
        assert_eq!(w, digest(&sealed).unwrap());
        assert!(w.bytes < body.len() as u64 / 10, "compressed: {}", w.bytes);
        let mut back = Vec::new();
        let plain = open(&key, &sealed, &mut back, true).unwrap();
        assert_eq!(back, body.as_bytes());
        assert_eq!(plain, digest(&src).unwrap());

        let other = dir.path().join("other");
        Key::generate(&other, at).unwrap();
        let other = Key::load(&other).unwrap();
        assert!(open(&other, &sealed, io::sink(), true).is_err());

        let mut bytes = std::fs::read(&sealed).unwrap();
        let last = bytes.len() - 20;
        bytes[last] ^= 1;
        std::fs::write(&sealed, &bytes).unwrap();
        assert!(open(&key, &sealed, io::sink(), true).is_err());
    }
}
