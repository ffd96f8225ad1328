-- The operator finds users by @username prefix (any case), most recently seen first. The index on
-- lower(username) serves the exact match the bot uses, but a LIKE prefix can use a b-tree only in the "C" collation
-- or with the pattern operator class: without this one, every search read the whole users table.
-- Building it holds writes to users for its duration (~3 s per million users); a large deployment can build it
-- beforehand with "create index concurrently" under the same name, and this migration then leaves it as it is.
create index if not exists users_username_prefix on users (lower(username) text_pattern_ops) where username is not null;
