<?php
// The PHP file change scanner (docs/cms.md#tools), loaded by steward-connector.php. A scan hashes
// (SHA-1) every PHP file under the WordPress root, a few hundred per step, and compares each with
// the previous complete scan (the baseline): a file that was not there is `new`, one whose hash
// changed `modified`. The first scan has no baseline: it reports only files whose threat score is
// already high (`suspicious`, 50 or more) and keeps the rest as the baseline. Each reported file
// gets a threat score from simple signatures (eval, base64_decode, gzinflate… and their chains,
// request variables handed to eval or a shell function) and the lines that matched.
//   POST scanner/start, POST scanner/step   -> {id, done}
//   GET  scans?offset&limit                 -> the scans, newest first
//   GET  scans/{id}?offset&limit            -> its reported files
//   GET  scan-alerts/{id}                   -> one reported file with its findings
// State in options (not autoloaded): the scan under way, the baseline, the last 50 scans and
// their reports. Symbolic links are not followed; wp-content/steward-restore is skipped.

if (!defined('ABSPATH')) {
	exit;
}

define('STEWARD_SCAN_STEP', 400);
define('STEWARD_SCAN_KEEP', 50);
define('STEWARD_SCAN_MAX_FILES', 100000);
define('STEWARD_SCAN_SUSPICIOUS', 50);

add_action('rest_api_init', 'steward_scanner_routes');

function steward_scanner_routes() {
	$may = function () {
		return current_user_can('manage_options');
	};
	$page = array(
		'offset' => array('type' => 'integer', 'minimum' => 0, 'maximum' => 100000, 'default' => 0),
		'limit' => array('type' => 'integer', 'minimum' => 1, 'maximum' => 100, 'default' => 50),
	);
	register_rest_route('steward/v1', '/scanner/start', array(
		'methods' => 'POST',
		'callback' => 'steward_scanner_start',
		'permission_callback' => $may,
	));
	register_rest_route('steward/v1', '/scanner/step', array(
		'methods' => 'POST',
		'callback' => 'steward_scanner_step',
		'permission_callback' => $may,
	));
	register_rest_route('steward/v1', '/scans', array(
		'methods' => 'GET',
		'callback' => 'steward_scanner_scans',
		'permission_callback' => $may,
		'args' => $page,
	));
	register_rest_route('steward/v1', '/scans/(?P<id>[1-9][0-9]{0,8})', array(
		'methods' => 'GET',
		'callback' => 'steward_scanner_alerts',
		'permission_callback' => $may,
		'args' => $page,
	));
	register_rest_route('steward/v1', '/scan-alerts/(?P<id>[1-9][0-9]{0,8})', array(
		'methods' => 'GET',
		'callback' => 'steward_scanner_alert',
		'permission_callback' => $may,
	));
}

/** The PHP files under the root, relative, without following links. */
function steward_scanner_files() {
	$root = rtrim(ABSPATH, '/');
	$skip = WP_CONTENT_DIR . '/steward-restore';
	$files = array();
	$walk = new RecursiveIteratorIterator(
		new RecursiveCallbackFilterIterator(
			new RecursiveDirectoryIterator($root, FilesystemIterator::SKIP_DOTS),
			function ($file) use ($skip) {
				return !$file->isLink() && $file->getPathname() !== $skip;
			}
		),
		RecursiveIteratorIterator::LEAVES_ONLY,
		RecursiveIteratorIterator::CATCH_GET_CHILD
	);
	foreach ($walk as $file) {
		if ($file->isFile() && preg_match('/\.(php[0-9]?|phtml|phar)\z/i', $file->getFilename())) {
			$files[] = substr($file->getPathname(), strlen($root) + 1);
			if (count($files) >= STEWARD_SCAN_MAX_FILES) {
				break;
			}
		}
	}
	sort($files);
	return $files;
}

/** The signatures: a pattern, its name and its score per file. */
function steward_scanner_signatures() {
	$request = '\$_(?:POST|GET|REQUEST|COOKIE|SERVER|FILES)';
	return array(
		array('/\beval\s*\(\s*(?:base64_decode|gzinflate|gzuncompress|gzdecode|str_rot13|strrev|hex2bin)\s*\(/i', 'eval of decoded code', 60),
		array('/\b(?:gzinflate|gzuncompress|gzdecode)\s*\(\s*(?:base64_decode|str_rot13)\s*\(/i', 'decompression of decoded data', 30),
		array('/\b(?:eval|assert|system|exec|passthru|shell_exec|popen|proc_open|create_function)\s*\(\s*(?:stripslashes\s*\(\s*)?' . $request . '/i', 'request data executed', 80),
		array('/\bpreg_replace\s*\(\s*([\'"]).*\/[a-z]*e[a-z]*\1/i', 'preg_replace with /e', 40),
		array('/\beval\s*\(/i', 'eval', 10),
		array('/\bbase64_decode\s*\(/i', 'base64_decode', 5),
		array('/\b(?:gzinflate|gzuncompress|gzdecode|str_rot13)\s*\(/i', 'decompression or rot13', 5),
		array('/\bcreate_function\s*\(/i', 'create_function', 10),
		array('/[A-Za-z0-9+\/]{400,}={0,2}/', 'a long base64 string', 10),
	);
}

/** The file's threat score and what matched (at most 20 findings, each line cut at 200 bytes). */
function steward_scanner_score($path) {
	$text = @file_get_contents($path, false, null, 0, 4 * 1024 * 1024);
	if (false === $text) {
		return array(0, array());
	}
	$score = 0;
	$findings = array();
	foreach (steward_scanner_signatures() as $signature) {
		if (!preg_match($signature[0], $text, $match, PREG_OFFSET_CAPTURE)) {
			continue;
		}
		$score += $signature[2];
		if (count($findings) < 20) {
			$line = substr_count($text, "\n", 0, $match[0][1]) + 1;
			$start = strrpos(substr($text, 0, $match[0][1]), "\n");
			$end = strpos($text, "\n", $match[0][1]);
			$snippet = substr($text, false === $start ? 0 : $start + 1, (false === $end ? strlen($text) : $end) - (false === $start ? 0 : $start + 1));
			$findings[] = array(
				'signature' => $signature[1],
				'line' => $line,
				'text' => wp_check_invalid_utf8(substr(trim($snippet), 0, 200), true),
			);
		}
	}
	return array(min($score, 1000), $findings);
}

function steward_scanner_get($name, $default) {
	$value = get_option($name, $default);
	return is_array($value) ? $value : $default;
}

function steward_scanner_start() {
	$scans = steward_scanner_get('steward_scanner_scans', array());
	$id = empty($scans) ? 1 : $scans[0]['id'] + 1;
	$run = get_option('steward_scanner_run');
	if (is_array($run) && $run['id'] >= $id) {
		$id = $run['id'] + 1;
	}
	$files = steward_scanner_files();
	update_option('steward_scanner_run', array(
		'id' => $id,
		'startedAt' => gmdate('c'),
		'files' => $files,
		'pos' => 0,
		'hashes' => array(),
		'alerts' => array(),
		'new' => 0,
		'modified' => 0,
	), false);
	return steward_scanner_step();
}

function steward_scanner_step() {
	$run = get_option('steward_scanner_run');
	if (!is_array($run)) {
		return new WP_Error('steward_no_scan', 'No scan is under way: start one.', array('status' => 409));
	}
	$baseline = get_option('steward_scanner_baseline');
	$first = !is_array($baseline);
	$root = rtrim(ABSPATH, '/') . '/';
	$end = min(count($run['files']), $run['pos'] + STEWARD_SCAN_STEP);
	for ($i = $run['pos']; $i < $end; $i++) {
		$file = $run['files'][$i];
		$hash = @sha1_file($root . $file);
		if (false === $hash) {
			continue;
		}
		$run['hashes'][$file] = $hash;
		$status = null;
		if (!$first && !isset($baseline[$file])) {
			$status = 'new';
			$run['new']++;
		} elseif (!$first && $baseline[$file] !== $hash) {
			$status = 'modified';
			$run['modified']++;
		}
		if (null === $status && !$first) {
			continue;
		}
		list($score, $findings) = steward_scanner_score($root . $file);
		if (null === $status) {
			if ($score < STEWARD_SCAN_SUSPICIOUS) {
				continue;
			}
			$status = 'suspicious';
		}
		$n = count($run['alerts']) + 1;
		if ($n < 100000) {
			$run['alerts'][] = array(
				'id' => $run['id'] * 100000 + $n,
				'scanId' => $run['id'],
				'path' => $file,
				'status' => $status,
				'threatScore' => $score,
				'acknowledged' => false,
				'findings' => $findings,
			);
		}
	}
	$run['pos'] = $end;
	if ($end < count($run['files'])) {
		update_option('steward_scanner_run', $run, false);
		return rest_ensure_response(array('id' => $run['id'], 'done' => false));
	}
	steward_scanner_finish($run);
	return rest_ensure_response(array('id' => $run['id'], 'done' => true));
}

/** Keeps the scan and its report, makes its hashes the baseline, forgets the oldest scans. */
function steward_scanner_finish($run) {
	$scans = steward_scanner_get('steward_scanner_scans', array());
	array_unshift($scans, array(
		'id' => $run['id'],
		'startedAt' => $run['startedAt'],
		'endedAt' => gmdate('c'),
		'status' => 'complete',
		'filesNew' => $run['new'],
		'filesModified' => $run['modified'],
		'totalFiles' => count($run['hashes']),
	));
	foreach (array_slice($scans, STEWARD_SCAN_KEEP) as $old) {
		delete_option('steward_scanner_alerts_' . $old['id']);
	}
	update_option('steward_scanner_alerts_' . $run['id'], $run['alerts'], false);
	update_option('steward_scanner_scans', array_slice($scans, 0, STEWARD_SCAN_KEEP), false);
	update_option('steward_scanner_baseline', $run['hashes'], false);
	delete_option('steward_scanner_run');
}

function steward_scanner_scans($request) {
	$scans = steward_scanner_get('steward_scanner_scans', array());
	return rest_ensure_response(array_slice($scans, (int) $request['offset'], (int) $request['limit']));
}

function steward_scanner_alerts($request) {
	$id = (int) $request['id'];
	$alerts = get_option('steward_scanner_alerts_' . $id);
	if (!is_array($alerts)) {
		return new WP_Error('steward_no_scan', 'No such scan.', array('status' => 404));
	}
	$page = array_slice($alerts, (int) $request['offset'], (int) $request['limit']);
	return rest_ensure_response(array_map(function ($alert) {
		unset($alert['findings']);
		return $alert;
	}, $page));
}

function steward_scanner_alert($request) {
	$id = (int) $request['id'];
	$alerts = get_option('steward_scanner_alerts_' . intdiv($id, 100000));
	$n = $id % 100000;
	if (!is_array($alerts) || $n < 1 || !isset($alerts[$n - 1]) || $alerts[$n - 1]['id'] !== $id) {
		return new WP_Error('steward_no_alert', 'No such scan result.', array('status' => 404));
	}
	return rest_ensure_response($alerts[$n - 1]);
}
