CREATE TABLE problems (
	id INTEGER NOT NULL, 
	slug VARCHAR(64) NOT NULL, 
	title VARCHAR(120) NOT NULL, 
	difficulty VARCHAR(16) NOT NULL, 
	function_signature TEXT NOT NULL, 
	description_md TEXT NOT NULL, 
	golden_source TEXT NOT NULL, 
	reference_tests TEXT NOT NULL, 
	time_limit_s FLOAT NOT NULL, 
	tags JSON NOT NULL, 
	content_hash VARCHAR(64) NOT NULL, 
	origin VARCHAR(16) NOT NULL, 
	source_path TEXT NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ix_problems_slug ON problems (slug);
CREATE TABLE submissions (
	id VARCHAR(36) NOT NULL, 
	problem_slug VARCHAR(64) NOT NULL, 
	test_code TEXT NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	score FLOAT, 
	killed_mutants INTEGER NOT NULL, 
	total_mutants INTEGER NOT NULL, 
	kill_ratio FLOAT NOT NULL, 
	message TEXT NOT NULL, 
	flags JSON NOT NULL, 
	golden JSON, 
	execution_log TEXT NOT NULL, 
	created_at DATETIME NOT NULL, 
	started_at DATETIME, 
	finished_at DATETIME, 
	PRIMARY KEY (id)
);
CREATE INDEX ix_submissions_problem_slug ON submissions (problem_slug);
CREATE INDEX ix_submissions_status ON submissions (status);
CREATE INDEX ix_submissions_created_at ON submissions (created_at);
CREATE TABLE mutants (
	id INTEGER NOT NULL, 
	problem_id INTEGER NOT NULL, 
	position INTEGER NOT NULL, 
	name VARCHAR(64) NOT NULL, 
	source TEXT NOT NULL, 
	weight FLOAT NOT NULL, 
	hint TEXT NOT NULL, 
	equivalent BOOLEAN NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (problem_id, name), 
	FOREIGN KEY(problem_id) REFERENCES problems (id) ON DELETE CASCADE
);
CREATE INDEX ix_mutants_problem_id ON mutants (problem_id);
CREATE TABLE mutant_results (
	id INTEGER NOT NULL, 
	submission_id VARCHAR(36) NOT NULL, 
	mutant_name VARCHAR(64) NOT NULL, 
	position INTEGER NOT NULL, 
	weight FLOAT NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	duration_ms INTEGER NOT NULL, 
	killed_by JSON NOT NULL, 
	message TEXT NOT NULL, 
	tests JSON NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (submission_id, mutant_name), 
	FOREIGN KEY(submission_id) REFERENCES submissions (id) ON DELETE CASCADE
);
CREATE INDEX ix_mutant_results_submission_id ON mutant_results (submission_id);
