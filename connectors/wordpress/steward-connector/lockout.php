<?php
// The connector's login lockout (docs/cms.md#tools), loaded by steward-connector.php: WordPress
// has none of its own. Each failed login (wp-login.php, XML-RPC: WordPress's `wp_login_failed`)
// counts against the client's address (REMOTE_ADDR: a proxy's X-Forwarded-For is not trusted);
// 5 failures within 15 minutes block that address's logins for an hour (an `authenticate`
// filter that runs last). Application passwords (the REST API, the panel's own requests) are
// not blocked. The panel unblocks an address:
//   POST unblock {"ip": …}  -> {ip, blocked}  (`blocked`: whether it was blocked)
// The list is an option (not autoloaded) of at most 1,000 addresses, expired entries dropped.

if (!defined('ABSPATH')) {
	exit;
}

define('STEWARD_LOCKOUT_FAILURES', 5);
define('STEWARD_LOCKOUT_WINDOW', 15 * 60);
define('STEWARD_LOCKOUT_BLOCK', 60 * 60);

add_action('wp_login_failed', 'steward_lockout_failed');
add_filter('authenticate', 'steward_lockout_authenticate', 1000, 1);
add_action('rest_api_init', 'steward_lockout_routes');

/** An address as inet_ntop writes it (so that 2001:DB8::1 and 2001:db8::1 are one), or null. */
function steward_lockout_ip($text) {
	$packed = is_string($text) ? @inet_pton($text) : false;
	return false === $packed ? null : inet_ntop($packed);
}

function steward_lockout_list() {
	$list = get_option('steward_lockout', array());
	$now = time();
	$kept = array();
	foreach (is_array($list) ? $list : array() as $ip => $entry) {
		if ($entry['until'] > $now || $entry['first'] + STEWARD_LOCKOUT_WINDOW > $now) {
			$kept[$ip] = $entry;
		}
	}
	return $kept;
}

function steward_lockout_failed() {
	$ip = steward_lockout_ip(isset($_SERVER['REMOTE_ADDR']) ? $_SERVER['REMOTE_ADDR'] : null);
	if (null === $ip) {
		return;
	}
	$list = steward_lockout_list();
	$now = time();
	$entry = isset($list[$ip]) && $list[$ip]['first'] + STEWARD_LOCKOUT_WINDOW > $now
		? $list[$ip]
		: array('failures' => 0, 'first' => $now, 'until' => isset($list[$ip]) ? $list[$ip]['until'] : 0);
	$entry['failures']++;
	if ($entry['failures'] >= STEWARD_LOCKOUT_FAILURES && $entry['until'] <= $now) {
		$entry['until'] = $now + STEWARD_LOCKOUT_BLOCK;
	}
	unset($list[$ip]);
	$list[$ip] = $entry;
	update_option('steward_lockout', array_slice($list, -1000, null, true), false);
}

function steward_lockout_authenticate($user) {
	$ip = steward_lockout_ip(isset($_SERVER['REMOTE_ADDR']) ? $_SERVER['REMOTE_ADDR'] : null);
	$list = null === $ip ? array() : steward_lockout_list();
	if (null !== $ip && isset($list[$ip]) && $list[$ip]['until'] > time()) {
		return new WP_Error('steward_locked_out', 'Too many failed logins from your address: try again later.');
	}
	return $user;
}

function steward_lockout_routes() {
	register_rest_route('steward/v1', '/unblock', array(
		'methods' => 'POST',
		'callback' => 'steward_lockout_unblock',
		'permission_callback' => function () {
			return current_user_can('manage_options');
		},
		'args' => array(
			'ip' => array('type' => 'string', 'required' => true, 'validate_callback' => function ($value) {
				return null !== steward_lockout_ip($value);
			}),
		),
	));
}

function steward_lockout_unblock($request) {
	$ip = steward_lockout_ip($request['ip']);
	$list = steward_lockout_list();
	$blocked = isset($list[$ip]) && $list[$ip]['until'] > time();
	unset($list[$ip]);
	update_option('steward_lockout', $list, false);
	return rest_ensure_response(array('ip' => $ip, 'blocked' => $blocked));
}
