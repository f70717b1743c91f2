-- Issue 15, item 9: an invoice line's words in Kazakh and English beside the Russian, so that
-- pages and documents show it in the reader's language (older lines keep the Russian only).
ALTER TABLE invoice_lines ADD COLUMN description_kk TEXT;
ALTER TABLE invoice_lines ADD COLUMN description_en TEXT;
