//! The bank's categories kept by hand (issue 19, item 2): renamed, moved under another (never
//! under themselves), and deleted once they hold nothing. Import and saving a question make
//! the categories they name (see [`super::save`]).

use super::*;

/// A category as the bank's page lists it.
#[derive(Debug, Clone)]
pub struct CategoryView {
    pub category: Category,
    /// Its names from the top ("Top / Algebra").
    pub path: String,
    /// Questions in it (not in its subcategories).
    pub questions: i64,
    /// Its subcategories (direct).
    pub children: usize,
    /// The ids of the categories it cannot be moved under: itself and all beneath it.
    pub beneath: std::collections::HashSet<String>,
}

/// The school's categories in the order of their paths, with what each holds.
pub async fn category_tree(
    services: &Services,
    who: &Principal,
) -> Result<Vec<CategoryView>, ServiceError> {
    let tenant = crate::access::require_tenant(who, TenantAction::EditContent)?.clone();
    let mut conn = services.db.conn().await?;
    let categories = store::categories(&mut conn, &tenant).await?;
    let counts = store::question_counts(&mut conn, &tenant).await?;
    let mut paths = paths(&categories);
    let mut out: Vec<CategoryView> = categories
        .iter()
        .map(|c| CategoryView {
            path: paths.remove(&c.id).unwrap_or_default(),
            questions: counts.get(&c.id).copied().unwrap_or(0),
            children: categories
                .iter()
                .filter(|x| x.parent_id.as_deref() == Some(c.id.as_str()))
                .count(),
            beneath: beneath(&categories, &c.id),
            category: c.clone(),
        })
        .collect();
    out.sort_by_key(|c| c.path.to_lowercase());
    Ok(out)
}

/// The category `id` and every category beneath it.
fn beneath(categories: &[Category], id: &str) -> std::collections::HashSet<String> {
    let mut out = std::collections::HashSet::from([id.to_owned()]);
    // Each pass adds the children of what is in; a tree is done within its depth.
    loop {
        let before = out.len();
        for c in categories {
            if c.parent_id.as_ref().is_some_and(|p| out.contains(p)) {
                out.insert(c.id.clone());
            }
        }
        if out.len() == before {
            return out;
        }
    }
}

/// A change to a category: a new name, a new parent (`Some(None)`: the top), or both.
#[derive(Debug, Clone, Default)]
pub struct CategoryInput {
    pub name: Option<String>,
    pub parent_id: Option<Option<String>>,
}

/// Renames a category or moves it with its subcategories and questions. Refused beside the
/// field: an empty or overlong name, a name its new siblings already have, a parent that is
/// not the school's or is the category itself or one of its subcategories.
pub async fn change_category(
    services: &Services,
    who: &Principal,
    id: &str,
    input: CategoryInput,
    origin: Origin,
) -> Result<Category, ServiceError> {
    let tenant = editor(who)?;
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let not_found = || ServiceError::NotFound(Msg::new("err-no-category"));
    let before = store::category_by_id(&mut tx, &tenant, id)
        .await?
        .ok_or_else(not_found)?;
    // Moves take turns within a school, so two of them cannot make a cycle together.
    store::hold_categories(&mut tx, &tenant).await?;
    let mut errors = Vec::new();
    let name = match &input.name {
        Some(n) => {
            let clean = clean_name(n);
            let long = n.trim().chars().count() > 255;
            if long
                || clean.is_empty()
                || clean.contains('/')
                || clean.chars().any(char::is_control)
            {
                errors.push(("name".to_owned(), Msg::new("err-category-name")));
            }
            clean
        }
        None => before.name.clone(),
    };
    let parent = match input.parent_id.clone() {
        Some(p) => p.filter(|p| !p.is_empty()),
        None => before.parent_id.clone(),
    };
    if let Some(p) = &parent {
        let categories = store::categories(&mut tx, &tenant).await?;
        // The parent must be the school's and not the category or one beneath it.
        let by_id: std::collections::HashMap<&str, &Category> =
            categories.iter().map(|c| (c.id.as_str(), c)).collect();
        let known = by_id.contains_key(p.as_str());
        // Up from the new parent to the top: the category itself on the way is a cycle.
        let mut beneath = false;
        let mut seen = std::collections::HashSet::new();
        let mut at = by_id.get(p.as_str());
        while let Some(c) = at {
            if c.id == before.id || !seen.insert(c.id.as_str()) {
                beneath = true;
                break;
            }
            at = c.parent_id.as_deref().and_then(|pid| by_id.get(pid));
        }
        if !known || beneath {
            errors.push(("parent_id".to_owned(), Msg::new("err-category-parent")));
        }
    }
    if errors.is_empty()
        && store::name_taken(&mut tx, &tenant, parent.as_deref(), &name, id).await?
    {
        errors.push(("name".to_owned(), Msg::new("err-category-taken")));
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    store::update_category(&mut tx, &tenant, id, &name, parent.as_deref()).await?;
    let after = Category {
        name,
        parent_id: parent,
        ..before.clone()
    };
    let entry = who
        .audit("question_category.update")
        .tenant(tenant.clone())
        .target("question_category", id.to_owned())
        .changes(
            &serde_json::to_value(&before).unwrap_or_default(),
            &serde_json::to_value(&after).unwrap_or_default(),
        )
        .origin(origin);
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(after)
}

/// Deletes a category that holds nothing: no question, no subcategory, and no quiz draws from
/// it (409 saying which).
pub async fn delete_category(
    services: &Services,
    who: &Principal,
    id: &str,
    origin: Origin,
) -> Result<(), ServiceError> {
    let tenant = editor(who)?;
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    store::category_by_id(&mut tx, &tenant, id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-category")))?;
    let categories = store::categories(&mut tx, &tenant).await?;
    let children = categories
        .iter()
        .filter(|c| c.parent_id.as_deref() == Some(id))
        .count();
    let questions = store::question_counts(&mut tx, &tenant)
        .await?
        .get(id)
        .copied()
        .unwrap_or(0);
    let quizzes = store::quizzes_drawing_from(&mut tx, &tenant, id).await?;
    if questions > 0 || children > 0 || quizzes > 0 {
        return Err(ServiceError::Conflict(
            Msg::new("err-category-not-empty")
                .num("questions", questions)
                .num("children", children as i64)
                .num("quizzes", quizzes),
        ));
    }
    store::delete_category(&mut tx, &tenant, id).await?;
    let entry = who
        .audit("question_category.delete")
        .tenant(tenant.clone())
        .target("question_category", id.to_owned())
        .origin(origin);
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(())
}
