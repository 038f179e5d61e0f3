CREATE TABLE `table_sizes` (
	`table_name` text PRIMARY KEY NOT NULL,
	`rows` integer NOT NULL,
	`counted_at` integer NOT NULL
);
