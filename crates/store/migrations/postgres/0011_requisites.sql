-- Issue 15, item 15: the operator's requisites as the offer's section 10 states them (R-10,
-- A-16): the phone 8 (778) 992-00-00 and the e-mail info@bgpro.kz, beside the support address
-- info@educenter.kz. The seeded version 1 had a phone the offer does not give. A new version
-- is added only while the newest one still has that phone (an operator who already saved their
-- own keeps it); documents already issued keep the version they were issued with.
ALTER TABLE operator_profiles ADD COLUMN support_email TEXT NOT NULL DEFAULT 'info@educenter.kz';
INSERT INTO operator_profiles (version, name, bin, address, phone, email, support_email, bank,
    iik, bik, kbe, knp, signer, vat_percent, created_at, created_by)
SELECT version + 1, name, bin, address, '+7 778 992 00 00', 'info@bgpro.kz', 'info@educenter.kz',
    bank, iik, bik, kbe, knp, signer, vat_percent, (EXTRACT(EPOCH FROM clock_timestamp()) * 1000000)::BIGINT, NULL
FROM operator_profiles
WHERE version = (SELECT MAX(version) FROM operator_profiles) AND phone = '+7 727 339 00 00';
