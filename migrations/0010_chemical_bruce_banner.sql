CREATE TABLE `stats_history` (
	`minute` integer PRIMARY KEY NOT NULL,
	`sample` text NOT NULL
);
