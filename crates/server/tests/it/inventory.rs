//! Issue 18, item 8: the personal-data inventory. `crates/store/personal-data.toml`
//! classifies every column of the database as `none`, `personal: PURPOSE` or `secret: PURPOSE`;
//! this test fails when a migration adds a column the inventory does not classify, when the
//! inventory names a column that is not there, or when a class has no purpose, on the engine
//! the suite runs on.

use crate::harness::TestApp;

const INVENTORY: &str = include_str!("../../../store/personal-data.toml");

#[tokio::test]
async fn every_column_is_classified_in_the_personal_data_inventory() {
    let app = TestApp::start().await;
    let shape = educenter_store::schema::shape(app.store()).await.unwrap();
    let inventory: toml::Table = toml::from_str(INVENTORY).expect("the inventory reads");

    let mut unclassified = Vec::new();
    for (table, columns) in &shape {
        let listed = inventory.get(table).and_then(toml::Value::as_table);
        for column in columns.keys() {
            if listed.and_then(|t| t.get(column)).is_none() {
                unclassified.push(format!("{table}.{column}"));
            }
        }
    }
    assert!(
        unclassified.is_empty(),
        "columns the personal-data inventory (crates/store/personal-data.toml) does not \
         classify: {unclassified:?}"
    );

    let mut stale = Vec::new();
    let mut unexplained = Vec::new();
    for (table, columns) in &inventory {
        let columns = columns.as_table().expect("a table of columns");
        for (column, class) in columns {
            if !shape.get(table).is_some_and(|t| t.contains_key(column)) {
                stale.push(format!("{table}.{column}"));
            }
            let class = class.as_str().unwrap_or_default();
            let explained = class == "none"
                || ["personal: ", "secret: "]
                    .iter()
                    .any(|p| class.strip_prefix(p).is_some_and(|why| why.len() >= 10));
            if !explained {
                unexplained.push(format!("{table}.{column} = {class:?}"));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "the inventory names columns that are not there: {stale:?}"
    );
    assert!(
        unexplained.is_empty(),
        "a class is `none`, or `personal: ` or `secret: ` with its purpose: {unexplained:?}"
    );

    // The columns that identify a person are classified as such.
    for (table, column) in [
        ("users", "email"),
        ("users", "full_name"),
        ("users", "phone"),
        ("sessions", "ip"),
        ("audit_log", "ip"),
        ("receipts", "payer"),
    ] {
        let class = inventory[table][column].as_str().unwrap();
        assert!(
            class.starts_with("personal: "),
            "{table}.{column} = {class}"
        );
    }
    assert!(
        inventory["users"]["password_hash"]
            .as_str()
            .unwrap()
            .starts_with("secret: ")
    );
    app.stop().await;
}
