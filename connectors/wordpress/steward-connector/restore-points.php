<?php
// Restore points for Steward's safe updates (docs/cms.md#safe-updates), loaded by
// steward-connector.php. Before a plugin or theme update the panel asks for a restore point: a
// zip of the extension's folder (or a single-file plugin) with its version and whether it was
// active, kept in wp-content/steward-restore/ under a random name (one per extension: a new
// one replaces the old). When the update breaks the site the panel restores it: the folder
// replaced by the zip's content, the plugin activated again if it was. A plugin whose files
// cannot be zipped gets a restore point of another kind when WordPress.org offers it: the
// package of the version running, reinstalled on restore (restore-packages.php).
//   POST restore-point  {"type": "plugin"|"theme", "slug": …}            -> {id, version, active, kind}
//   POST restore        {"type": "plugin"|"theme", "slug": …, "id": …}  -> {ok, version, error}
// Same capabilities as the update; no path from the request: the slug must be installed and
// the id must name a restore point of that extension.

if (!defined('ABSPATH')) {
	exit;
}

add_action('rest_api_init', 'steward_restore_routes');

function steward_restore_routes() {
	$extension = array(
		'type' => array('type' => 'string', 'enum' => array('plugin', 'theme'), 'required' => true),
		'slug' => array('type' => 'string', 'required' => true, 'validate_callback' => 'steward_restore_valid_slug'),
	);
	register_rest_route('steward/v1', '/restore-point', array(
		'methods' => 'POST',
		'callback' => 'steward_restore_point',
		'permission_callback' => 'steward_connector_may_update',
		'args' => $extension,
	));
	register_rest_route('steward/v1', '/restore', array(
		'methods' => 'POST',
		'callback' => 'steward_restore',
		'permission_callback' => 'steward_connector_may_update',
		'args' => $extension + array(
			'id' => array('type' => 'string', 'required' => true, 'validate_callback' => 'steward_restore_valid_id'),
		),
	));
}

// Whole-string matches (\A…\z): a JSON schema pattern's `$` would let a trailing newline by.
function steward_restore_valid_slug($value) {
	return is_string($value) && 1 === preg_match('#\A[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*\.php)?\z#', $value) && false === strpos($value, '..');
}

function steward_restore_valid_id($value) {
	return is_string($value) && 1 === preg_match('#\A[a-f0-9]{32}\z#', $value);
}

function steward_restore_dir() {
	$dir = WP_CONTENT_DIR . '/steward-restore';
	if (!is_dir($dir)) {
		wp_mkdir_p($dir);
		file_put_contents($dir . '/index.php', "<?php\n// Silence.\n");
		file_put_contents($dir . '/.htaccess', "Require all denied\nDeny from all\n");
	}
	return $dir;
}

/** The extension's folder (or a single-file plugin's file), null when it is not installed. */
function steward_restore_target($type, $slug) {
	if (false !== strpos($slug, '..')) {
		return null;
	}
	if ('plugin' === $type) {
		$plugins = get_plugins();
		if (!isset($plugins[$slug])) {
			return null;
		}
		$folder = dirname($slug);
		return '.' === $folder ? WP_PLUGIN_DIR . '/' . $slug : WP_PLUGIN_DIR . '/' . $folder;
	}
	$theme = wp_get_theme($slug);
	return $theme->exists() ? $theme->get_stylesheet_directory() : null;
}

function steward_restore_version($type, $slug) {
	if ('plugin' === $type) {
		wp_clean_plugins_cache();
		$data = get_plugin_data(WP_PLUGIN_DIR . '/' . $slug, false, false);
		return (string) $data['Version'];
	}
	wp_clean_themes_cache();
	return (string) wp_get_theme($slug)->get('Version');
}

function steward_restore_point($request) {
	steward_connector_admin_includes();
	require_once ABSPATH . 'wp-admin/includes/class-pclzip.php';
	$type = $request->get_param('type');
	$slug = (string) $request->get_param('slug');
	$target = steward_restore_target($type, $slug);
	if (null === $target) {
		return new WP_Error('steward_not_installed', 'No such ' . $type . '.', array('status' => 404));
	}
	$points = get_option('steward_restore_points', array());
	foreach ($points as $old => $point) {
		if ($point['type'] === $type && $point['slug'] === $slug) {
			if (!empty($point['file'])) {
				wp_delete_file($point['file']);
			}
			unset($points[$old]);
		}
	}
	$id = bin2hex(random_bytes(16));
	$file = steward_restore_dir() . '/' . $id . '.zip';
	$archive = new PclZip($file);
	$point = array(
		'type' => $type,
		'slug' => $slug,
		'file' => $file,
		'version' => steward_restore_version($type, $slug),
		'active' => 'plugin' === $type ? is_plugin_active($slug) : get_stylesheet() === $slug,
		'created' => time(),
	);
	if (0 === $archive->create($target, PCLZIP_OPT_REMOVE_PATH, dirname($target))) {
		$package = steward_restore_package($type, $slug, $point['version']);
		if (null === $package) {
			return new WP_Error('steward_restore_point', 'The restore point could not be written (' . $archive->errorInfo(true) . ') and WordPress.org offers no package of version ' . $point['version'] . ' to reinstall.', array('status' => 500));
		}
		wp_delete_file($file);
		$point['file'] = null;
		$point['package'] = $package;
	}
	$points[$id] = $point;
	update_option('steward_restore_points', $points, false);
	return rest_ensure_response(array(
		'id' => $id,
		'version' => $point['version'],
		'active' => $point['active'],
		'kind' => null === $point['file'] ? 'package' : 'zip',
	));
}

function steward_restore($request) {
	steward_connector_admin_includes();
	$type = $request->get_param('type');
	$slug = (string) $request->get_param('slug');
	$id = (string) $request->get_param('id');
	$points = get_option('steward_restore_points', array());
	$point = isset($points[$id]) ? $points[$id] : null;
	if (!$point || $point['type'] !== $type || $point['slug'] !== $slug
		|| (empty($point['package']) && (empty($point['file']) || !is_file($point['file'])))) {
		return new WP_Error('steward_no_restore_point', 'No such restore point for this ' . $type . '.', array('status' => 404));
	}
	steward_busy_begin($type . ' restore: ' . $slug);
	$failed = empty($point['package']) ? steward_restore_unzip($point) : steward_restore_reinstall($point);
	if (is_wp_error($failed)) {
		return $failed;
	}
	if (null !== $failed) {
		return rest_ensure_response(array('ok' => false, 'version' => null, 'error' => $failed));
	}
	$error = null;
	if ('plugin' === $type && $point['active'] && !is_plugin_active($slug)) {
		$activated = activate_plugin($slug);
		if (is_wp_error($activated)) {
			$error = $activated->get_error_message();
		}
	}
	return rest_ensure_response(array(
		'ok' => null === $error,
		'version' => steward_restore_version($type, $slug),
		'error' => $error,
	));
}

/** The restore point's zip put back: null, a message (not restored) or a WP_Error (answered as is). */
function steward_restore_unzip($point) {
	global $wp_filesystem;
	$type = $point['type'];
	$slug = $point['slug'];
	$folder = 'plugin' === $type ? dirname($slug) : $slug;
	$root = 'plugin' === $type ? WP_PLUGIN_DIR : get_theme_root($slug);
	$target = '.' === $folder ? $root . '/' . $slug : $root . '/' . $folder;
	if (!WP_Filesystem()) {
		return new WP_Error('steward_filesystem', 'WordPress cannot write its files (FS_METHOD).', array('status' => 500));
	}
	if (file_exists($target) && !$wp_filesystem->delete($target, true)) {
		return new WP_Error('steward_restore', 'The updated files could not be removed.', array('status' => 500));
	}
	$unzipped = unzip_file($point['file'], $root);
	if (is_wp_error($unzipped)) {
		return $unzipped->get_error_message();
	}
	if (function_exists('wp_opcache_invalidate_directory') && is_dir($target)) {
		wp_opcache_invalidate_directory($target);
	} elseif (is_file($target)) {
		wp_opcache_invalidate($target, true);
	}
	return null;
}
