//! The backup target: an object store of its own (a folder, or a bucket of an S3-compatible
//! store: see [`crate::storage`]), written without overwriting and read back for verification.

use std::{path::Path as FsPath, sync::Arc};

use futures::StreamExt;
use object_store::{ObjectStore, ObjectStoreExt, PutMode, PutOptions, path::Path};
use tokio::io::AsyncWriteExt;

/// Opens the target a `--backup-target` names: a folder (a path or a `file://` URL), or
/// `s3://BUCKET/PREFIX` reached as the `AWS_*` variables and `s3` say.
pub fn open(target: &str, s3: &crate::storage::S3Options) -> anyhow::Result<Arc<dyn ObjectStore>> {
    Ok(crate::storage::open(target, s3, "--backup-target")?.objects)
}

/// Whether an object exists.
pub async fn exists(store: &dyn ObjectStore, key: &str) -> anyhow::Result<bool> {
    match store.head(&Path::from(key)).await {
        Ok(_) => Ok(true),
        Err(object_store::Error::NotFound { .. }) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Uploads a local file as a new object, streamed in parts. Refuses when the object exists:
/// a set is never overwritten.
pub async fn put_file(store: Arc<dyn ObjectStore>, key: &str, file: &FsPath) -> anyhow::Result<()> {
    if exists(store.as_ref(), key).await? {
        anyhow::bail!("{key} already exists in the backup target");
    }
    crate::storage::upload_file(store, key, file).await
}

/// Writes a small object that must not exist yet (a manifest), in one request that the store
/// refuses if the key is taken.
pub async fn put_new(store: &dyn ObjectStore, key: &str, bytes: Vec<u8>) -> anyhow::Result<()> {
    let opts = PutOptions {
        mode: PutMode::Create,
        ..PutOptions::default()
    };
    store.put_opts(&Path::from(key), bytes.into(), opts).await?;
    Ok(())
}

/// Downloads an object into a new local file.
pub async fn get_file(store: &dyn ObjectStore, key: &str, file: &FsPath) -> anyhow::Result<()> {
    let mut stream = store.get(&Path::from(key)).await?.into_stream();
    let mut out = tokio::fs::File::create_new(file).await?;
    while let Some(chunk) = stream.next().await {
        out.write_all(&chunk?).await?;
    }
    out.sync_all().await?;
    Ok(())
}

/// Reads a small object whole.
pub async fn get_bytes(store: &dyn ObjectStore, key: &str) -> anyhow::Result<bytes::Bytes> {
    Ok(store.get(&Path::from(key)).await?.bytes().await?)
}

/// Every object key under a prefix.
pub async fn keys(store: &dyn ObjectStore, prefix: &str) -> anyhow::Result<Vec<String>> {
    let mut out = Vec::new();
    let mut list = store.list(Some(&Path::from(prefix)));
    while let Some(meta) = list.next().await {
        out.push(meta?.location.to_string());
    }
    out.sort();
    Ok(out)
}

/// Deletes objects (missing ones are fine: another instance may have pruned them).
pub async fn delete(store: &dyn ObjectStore, keys: &[String]) -> anyhow::Result<()> {
    for key in keys {
        match store.delete(&Path::from(key.as_str())).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}
