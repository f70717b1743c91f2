-- Issue 17, item 2: the school's own face. The name its students see (NULL: the name given at
-- sign-up), its accent colour (#rrggbb), a short description, contacts and social links (one
-- https address per line), read with the school on every page of its site.
ALTER TABLE tenants ADD COLUMN display_name TEXT;
ALTER TABLE tenants ADD COLUMN accent TEXT;
ALTER TABLE tenants ADD COLUMN site_description TEXT NOT NULL DEFAULT '';
ALTER TABLE tenants ADD COLUMN contact_email TEXT;
ALTER TABLE tenants ADD COLUMN contact_phone TEXT;
ALTER TABLE tenants ADD COLUMN contact_address TEXT;
ALTER TABLE tenants ADD COLUMN social_links TEXT NOT NULL DEFAULT '';
