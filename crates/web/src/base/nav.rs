//! The cabinet's side navigation (issue 17, item 1): the school's sections a person's role may
//! open, the current one marked. While the school may not work, the owner's kept sections only.

use educenter_domain::roles::{TenantAction, tenant_may};
use educenter_services::access::Principal;

/// A link of the side navigation.
pub struct NavLink {
    pub href: &'static str,
    pub id: &'static str,
    pub label: String,
    pub current: bool,
}

/// A section: its link, the message of its name, what a role needs to open it (`None`: every
/// role), whether the owner keeps it while the school may not work, and the paths under it.
struct Section {
    href: &'static str,
    id: &'static str,
    key: &'static str,
    needs: Option<TenantAction>,
    kept: bool,
    under: &'static [&'static str],
}

const SECTIONS: [Section; 9] = [
    Section {
        href: "/cabinet",
        id: "nav-home",
        key: "nav-section-home",
        needs: None,
        kept: false,
        under: &[],
    },
    Section {
        href: "/cabinet/courses",
        id: "courses-link",
        key: "courses-title",
        needs: Some(TenantAction::EditContent),
        kept: false,
        under: &[
            "/cabinet/courses",
            "/cabinet/lessons",
            "/cabinet/trash",
            "/cabinet/questions",
        ],
    },
    Section {
        href: "/cabinet/submissions",
        id: "submissions-link",
        key: "submissions-title",
        needs: Some(TenantAction::EditContent),
        kept: false,
        under: &["/cabinet/submissions"],
    },
    Section {
        href: "/cabinet/students",
        id: "students-link",
        key: "students-title",
        needs: Some(TenantAction::ManageLearners),
        kept: false,
        under: &["/cabinet/students"],
    },
    Section {
        href: "/cabinet/students#groups-title",
        id: "groups-link",
        key: "groups-title",
        needs: Some(TenantAction::ManageLearners),
        kept: false,
        under: &["/cabinet/groups"],
    },
    Section {
        href: "/cabinet/billing",
        id: "billing-link",
        key: "billing-title",
        needs: Some(TenantAction::ManageBilling),
        kept: true,
        under: &["/cabinet/billing"],
    },
    Section {
        href: "/cabinet/documents",
        id: "documents-home-link",
        key: "documents-title",
        needs: Some(TenantAction::ManageBilling),
        kept: true,
        under: &["/cabinet/documents"],
    },
    Section {
        href: "/cabinet/settings",
        id: "settings-link",
        key: "settings-title",
        needs: None,
        kept: false,
        under: &[
            "/cabinet/settings",
            "/cabinet/contract",
            "/cabinet/force-majeure",
            "/cabinet/privacy",
        ],
    },
    // While the school may not work, the owner's contract stands in for the settings.
    Section {
        href: "/cabinet/contract",
        id: "contract-nav",
        key: "cabinet-contract",
        needs: Some(TenantAction::ManageContract),
        kept: true,
        under: &["/cabinet/force-majeure"],
    },
];

/// The side navigation of a cabinet page at `path` for `who` (empty outside the cabinet and
/// for anyone but a school's owner and staff).
pub fn cabinet_nav(who: &Principal, path: &str, label: impl Fn(&str) -> String) -> Vec<NavLink> {
    let Some(role) = who.tenant_role() else {
        return Vec::new();
    };
    if !path.starts_with("/cabinet") {
        return Vec::new();
    }
    let open = who.school_open();
    SECTIONS
        .iter()
        .filter(|s| s.needs.is_none_or(|a| tenant_may(role, a)))
        .filter(|s| if open { s.id != "contract-nav" } else { s.kept })
        .map(|s| NavLink {
            href: s.href,
            id: s.id,
            label: label(s.key),
            current: path == s.href
                || s.under
                    .iter()
                    .any(|p| path == *p || path.starts_with(&format!("{p}/"))),
        })
        .collect()
}
