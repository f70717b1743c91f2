//! The integration tests of the whole product: one binary, run on SQLite by default and on
//! PostgreSQL when `EDUCENTER_TEST_DATABASE_URL` is set.

mod harness;
mod smtp;

mod access;
mod accounts;
mod api_write;
mod bad_input;
mod billing;
mod binary;
mod browser;
mod calendar_gap;
mod clock;
mod config;
mod connections;
mod content;
mod dates;
mod documents;
mod forms;
mod http;
mod inputs;
mod isolation;
mod jobs;
mod learning;
mod mail;
mod offers;
mod openapi;
mod openapi_tools;
mod operator;
mod operator_staff;
mod overflow;
mod pages;
mod pagination;
mod payments;
mod privacy;
mod receipts;
mod retention;
mod school_site;
mod service_prices;
mod sessions;
mod signin;
mod staff;
mod storage;
mod throttle;
mod tokens;
