// The API error type is header-only; this file keeps the library's source list stable.
