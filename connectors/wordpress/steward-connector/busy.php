<?php
// Whether an update is under way on this site, loaded by steward-connector.php. A site's
// gateway (nginx's fastcgi_read_timeout, a CDN's limit) may give up on a long update with a
// 502 or 504 while PHP goes on updating; the panel then asks `info` until `updating` is null
// before it checks the site or rolls back (docs/cms.md#safe-updates). The connector marks its
// own updates, reinstalls and restores (an option, removed when the request ends, fatal error
// or not, and carried on when the caller leaves); WordPress's own core and automatic updates
// hold their locks. A mark older than WordPress's lock expiry (15 minutes) is a request that
// died without ending.

if (!defined('ABSPATH')) {
	exit;
}

define('STEWARD_BUSY_OPTION', 'steward_connector_busy');
define('STEWARD_BUSY_EXPIRY', 15 * 60);

/** Marks this request's work ("core update") until it ends; it goes on when the caller leaves. */
function steward_busy_begin($what) {
	ignore_user_abort(true);
	update_option(STEWARD_BUSY_OPTION, array('what' => (string) $what, 'since' => time()), false);
	register_shutdown_function('steward_busy_end');
}

function steward_busy_end() {
	delete_option(STEWARD_BUSY_OPTION);
}

/** {what, since} of the update under way (since: Unix seconds), or null. */
function steward_busy() {
	$mark = get_option(STEWARD_BUSY_OPTION);
	if (is_array($mark) && isset($mark['what'], $mark['since']) && time() - (int) $mark['since'] < STEWARD_BUSY_EXPIRY) {
		return array('what' => (string) $mark['what'], 'since' => (int) $mark['since']);
	}
	$locks = array('core_updater' => 'core update', 'auto_updater' => 'automatic updates');
	foreach ($locks as $lock => $what) {
		$since = (int) get_option($lock . '.lock');
		if ($since > 0 && time() - $since < STEWARD_BUSY_EXPIRY) {
			return array('what' => $what, 'since' => $since);
		}
	}
	return null;
}
