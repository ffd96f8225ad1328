-- The operator finds users by @username prefix (any case), most recently seen first. The index on
-- lower(username) serves the exact match the bot uses, but a LIKE prefix can use a b-tree only in the "C" collation
-- or with the pattern operator class: without this one, every search read the whole users table.
create index users_username_prefix on users (lower(username) text_pattern_ops) where username is not null;
