//! The object stores behind the media files and the backup sets, named by URL: a local folder
//! (a path or `file://`), or a bucket of an S3-compatible store (`s3://BUCKET[/PREFIX]`: AWS
//! S3, or any server that speaks its protocol). An S3 store's endpoint, region and keys come
//! from the standard `AWS_*` environment variables, or from [`S3Options`]; never from the URL,
//! which is shown in logs and messages.

use std::sync::Arc;

use object_store::{
    ObjectStore, ObjectStoreExt, aws::AmazonS3Builder, multipart::MultipartStore, path::Path,
    prefix::PrefixStore,
};

/// How to reach an S3-compatible store, over what the `AWS_*` environment variables say
/// (`AWS_ENDPOINT_URL`, `AWS_REGION`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, ...).
#[derive(Clone, Default)]
pub struct S3Options {
    /// The server's address (`http://127.0.0.1:9000`); plain `http://` is allowed when named.
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
}

impl std::fmt::Debug for S3Options {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Options")
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .field(
                "secret_access_key",
                &self.secret_access_key.as_ref().map(|_| "***"),
            )
            .finish()
    }
}

/// An opened store: the objects, and, where the store has them, multipart uploads whose ids
/// the caller keeps (so that an upload a crash cut short can still be aborted).
#[derive(Clone)]
pub struct Opened {
    pub objects: Arc<dyn ObjectStore>,
    pub multipart: Option<Arc<dyn MultipartStore>>,
    /// The URL it was opened from, for messages.
    pub url: String,
}

impl std::fmt::Debug for Opened {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Opened").field("url", &self.url).finish()
    }
}

/// Makes ring the process's TLS provider, as the rest of the program uses: the HTTP client of
/// the S3 store (reqwest) takes the process's default and refuses to start without one. A
/// second call changes nothing.
pub fn install_tls() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// Opens the store `url` names; `flag` names the setting in messages (`--media-store`).
pub fn open(url: &str, s3: &S3Options, flag: &str) -> anyhow::Result<Opened> {
    let url = url.trim();
    match url.split_once("://") {
        None => local(url, flag),
        Some(("file", dir)) => local(dir, flag),
        Some(("s3", rest)) => bucket(url, rest, s3, flag),
        Some((scheme, _)) => anyhow::bail!(
            "{flag} {scheme}:// is not supported: give a folder, a file:// URL or s3://BUCKET/PREFIX"
        ),
    }
}

fn local(dir: &str, flag: &str) -> anyhow::Result<Opened> {
    if dir.is_empty() {
        anyhow::bail!("{flag} is empty");
    }
    std::fs::create_dir_all(dir).map_err(|e| anyhow::anyhow!("{flag}: creating {dir}: {e}"))?;
    let fs = object_store::local::LocalFileSystem::new_with_prefix(dir)?;
    Ok(Opened {
        objects: Arc::new(fs),
        multipart: None,
        url: dir.to_owned(),
    })
}

fn bucket(url: &str, rest: &str, s3: &S3Options, flag: &str) -> anyhow::Result<Opened> {
    let (name, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    if name.contains('@') {
        anyhow::bail!(
            "{flag}: keys do not belong in the URL; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
        );
    }
    if name.is_empty() {
        anyhow::bail!("{flag} {url}: the URL names no bucket (s3://BUCKET/PREFIX)");
    }
    install_tls();
    let mut builder = AmazonS3Builder::from_env().with_bucket_name(name);
    if let Some(endpoint) = &s3.endpoint {
        builder = builder.with_endpoint(endpoint);
    }
    if let Some(region) = &s3.region {
        builder = builder.with_region(region);
    }
    if let Some(key) = &s3.access_key_id {
        builder = builder.with_access_key_id(key);
    }
    if let Some(secret) = &s3.secret_access_key {
        builder = builder.with_secret_access_key(secret);
    }
    // An endpoint named with http:// (a server on the same network) is taken at its word.
    let endpoint = builder.get_config_value(&object_store::aws::AmazonS3ConfigKey::Endpoint);
    if endpoint.is_some_and(|e| e.starts_with("http://")) {
        builder = builder.with_allow_http(true);
    }
    let store = builder
        .build()
        .map_err(|e| anyhow::anyhow!("{flag} {url}: {e}"))?;
    let prefix = prefix.trim_matches('/');
    let (objects, multipart): (Arc<dyn ObjectStore>, Arc<dyn MultipartStore>) = if prefix.is_empty()
    {
        let s = Arc::new(store);
        (s.clone(), s)
    } else {
        let p = Arc::new(PrefixStore::new(store, prefix));
        (p.clone(), p)
    };
    Ok(Opened {
        objects,
        multipart: Some(multipart),
        url: url.to_owned(),
    })
}

/// Checks that the store answers and lets us in: a missing key is the answer we expect.
pub async fn check(store: &Opened, flag: &str) -> anyhow::Result<()> {
    match store
        .objects
        .head(&Path::from(".educenter-check/absent"))
        .await
    {
        Ok(_) | Err(object_store::Error::NotFound { .. }) => Ok(()),
        Err(e) => Err(anyhow::anyhow!("{flag} {}: {e}", store.url)),
    }
}

/// Uploads a local file as an object: one request up to 8 MiB, a multipart upload of 8 MiB
/// parts beyond; a multipart upload that fails, completing included, is aborted rather than
/// left in the bucket.
pub async fn upload_file(
    store: Arc<dyn ObjectStore>,
    key: &str,
    file: &std::path::Path,
) -> anyhow::Result<()> {
    use tokio::io::AsyncReadExt;
    const PART: usize = 8 << 20;
    let path = Path::from(key);
    let mut reader = tokio::fs::File::open(file).await?;
    let size = reader.metadata().await?.len();
    if size <= PART as u64 {
        let mut bytes = Vec::with_capacity(size as usize);
        reader.read_to_end(&mut bytes).await?;
        store.put(&path, bytes.into()).await?;
        return Ok(());
    }
    let mut upload = store.put_multipart(&path).await?;
    let sent = async {
        loop {
            let mut part = Vec::with_capacity(PART);
            (&mut reader)
                .take(PART as u64)
                .read_to_end(&mut part)
                .await?;
            if part.is_empty() {
                break;
            }
            upload.put_part(part.into()).await?;
        }
        upload.complete().await?;
        Ok::<_, anyhow::Error>(())
    }
    .await;
    if let Err(e) = sent {
        if let Err(abort) = upload.abort().await {
            tracing::warn!(key, error = %abort, "aborting a failed upload failed");
        }
        return Err(e);
    }
    Ok(())
}
