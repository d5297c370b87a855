<?php
/*
Plugin Name: Steward Connector
Description: Lets a Steward panel read this site's versions and update offers and apply updates, over the REST API with an application password.
Version: 0.4.0
Requires at least: 5.6
Requires PHP: 7.4
License: MIT
*/

// Routes under /wp-json/steward/v1 (docs/cms.md in Steward's repository):
//   GET  info    versions, extensions and update offers (?check=1 asks the update servers first),
//     and the update under way, if any (busy.php)
//   POST update  {"type": "core"|"plugin"|"theme", "slug": …} through WordPress's own upgraders
//   POST restore-point, POST restore  a plugin's or theme's files before an update (restore-points.php;
//     a plugin's package from WordPress.org when its files cannot be zipped: restore-packages.php)
//   POST reinstall  {"type": "core", "version": …} a core version WordPress's update API offers (core-reinstall.php)
//   the site tools: the file change scanner (scanner.php), the login lockout and its unblocking
//   (lockout.php), temporary administrators (temporary-admins.php)
// Callers authenticate with an application password; each route checks a capability.
// No eval, no shell: every action is a WordPress API call.

if (!defined('ABSPATH')) {
	exit;
}

define('STEWARD_CONNECTOR_VERSION', '0.4.0');

require_once __DIR__ . '/busy.php';
require_once __DIR__ . '/restore-points.php';
require_once __DIR__ . '/restore-packages.php';
require_once __DIR__ . '/core-reinstall.php';
require_once __DIR__ . '/scanner.php';
require_once __DIR__ . '/lockout.php';
require_once __DIR__ . '/temporary-admins.php';

add_action('rest_api_init', 'steward_connector_routes');

function steward_connector_routes() {
	register_rest_route('steward/v1', '/info', array(
		'methods' => 'GET',
		'callback' => 'steward_connector_info',
		'permission_callback' => function () {
			return current_user_can('manage_options');
		},
		'args' => array('check' => array('type' => 'boolean', 'default' => false)),
	));
	register_rest_route('steward/v1', '/update', array(
		'methods' => 'POST',
		'callback' => 'steward_connector_update',
		'permission_callback' => 'steward_connector_may_update',
		'args' => array(
			'type' => array('type' => 'string', 'enum' => array('core', 'plugin', 'theme'), 'required' => true),
			'slug' => array('type' => 'string', 'default' => '', 'pattern' => '^[A-Za-z0-9._/-]{0,200}$'),
		),
	));
}

function steward_connector_may_update($request) {
	$caps = array('core' => 'update_core', 'plugin' => 'update_plugins', 'theme' => 'update_themes');
	$type = $request->get_param('type');
	return isset($caps[$type]) && current_user_can($caps[$type]);
}

function steward_connector_admin_includes() {
	require_once ABSPATH . 'wp-admin/includes/plugin.php';
	require_once ABSPATH . 'wp-admin/includes/theme.php';
	require_once ABSPATH . 'wp-admin/includes/update.php';
	require_once ABSPATH . 'wp-admin/includes/file.php';
	require_once ABSPATH . 'wp-admin/includes/misc.php';
	require_once ABSPATH . 'wp-admin/includes/class-wp-upgrader.php';
}

/** Asks the update servers again (the cached answers dropped first). */
function steward_connector_check() {
	delete_site_transient('update_core');
	delete_site_transient('update_plugins');
	delete_site_transient('update_themes');
	wp_version_check(array(), true);
	wp_update_plugins();
	wp_update_themes();
}

function steward_connector_info($request) {
	global $wp_version, $wpdb;
	steward_connector_admin_includes();
	if ($request->get_param('check')) {
		steward_connector_check();
	}
	$plugin_offers = get_site_transient('update_plugins');
	$theme_offers = get_site_transient('update_themes');
	$plugins = array();
	foreach (get_plugins() as $file => $data) {
		$offer = isset($plugin_offers->response[$file]) ? $plugin_offers->response[$file] : null;
		$plugins[] = array(
			'slug' => $file,
			'name' => $data['Name'],
			'version' => $data['Version'],
			'active' => is_plugin_active($file),
			'update' => $offer ? (string) $offer->new_version : null,
		);
	}
	$themes = array();
	$current = get_stylesheet();
	foreach (wp_get_themes() as $slug => $theme) {
		$offer = isset($theme_offers->response[$slug]) ? $theme_offers->response[$slug] : null;
		$themes[] = array(
			'slug' => (string) $slug,
			'name' => $theme->get('Name'),
			'version' => (string) $theme->get('Version'),
			'active' => $slug === $current,
			'update' => $offer ? (string) $offer['new_version'] : null,
		);
	}
	return rest_ensure_response(array(
		'connector' => STEWARD_CONNECTOR_VERSION,
		'wordpress' => $wp_version,
		'php' => PHP_VERSION,
		'database' => $wpdb->db_server_info(),
		'siteUrl' => home_url(),
		'timezone' => wp_timezone_string(),
		'coreUpdate' => steward_connector_core_offer(),
		'plugins' => $plugins,
		'themes' => $themes,
		'updating' => steward_busy(),
	));
}

/** The newest core version offered, or null. */
function steward_connector_core_offer() {
	$core = get_site_transient('update_core');
	if (!$core || empty($core->updates)) {
		return null;
	}
	foreach ($core->updates as $offer) {
		if (isset($offer->response) && 'upgrade' === $offer->response) {
			return (string) $offer->current;
		}
	}
	return null;
}

function steward_connector_update($request) {
	global $wp_version;
	steward_connector_admin_includes();
	$type = $request->get_param('type');
	$slug = (string) $request->get_param('slug');
	steward_busy_begin('core' === $type ? 'core update' : $type . ' update: ' . $slug);
	$skin = new Automatic_Upgrader_Skin();
	$before = null;
	$after = null;
	$result = null;
	if ('plugin' === $type) {
		$plugins = get_plugins();
		if (!isset($plugins[$slug])) {
			return new WP_Error('steward_not_installed', 'No such plugin.', array('status' => 404));
		}
		wp_update_plugins();
		$before = $plugins[$slug]['Version'];
		$active = is_plugin_active($slug);
		$result = (new Plugin_Upgrader($skin))->upgrade($slug);
		if (true === $result && $active) {
			$activated = activate_plugin($slug);
			if (is_wp_error($activated)) {
				$result = $activated;
			}
		}
		wp_clean_plugins_cache();
		$data = get_plugin_data(WP_PLUGIN_DIR . '/' . $slug, false, false);
		$after = $data['Version'];
	} elseif ('theme' === $type) {
		$theme = wp_get_theme($slug);
		if (!$theme->exists()) {
			return new WP_Error('steward_not_installed', 'No such theme.', array('status' => 404));
		}
		wp_update_themes();
		$before = (string) $theme->get('Version');
		$result = (new Theme_Upgrader($skin))->upgrade($slug);
		wp_clean_themes_cache();
		$after = (string) wp_get_theme($slug)->get('Version');
	} else {
		require_once ABSPATH . 'wp-admin/includes/class-core-upgrader.php';
		wp_version_check(array(), true);
		$offer = find_core_update(steward_connector_core_offer(), get_locale());
		if (!$offer) {
			$offer = find_core_update(steward_connector_core_offer(), 'en_US');
		}
		if (!$offer) {
			return new WP_Error('steward_no_update', 'No core update is offered.', array('status' => 409));
		}
		$before = $wp_version;
		$result = (new Core_Upgrader($skin))->upgrade($offer);
		$after = is_wp_error($result) || !$result ? $before : (string) $result;
	}
	return steward_connector_upgraded($type, $slug, $before, $after, $result, $skin);
}

/** The answer of an update (or a reinstall): {ok, type, slug, from, to, error, log}. */
function steward_connector_upgraded($type, $slug, $before, $after, $result, $skin) {
	$ok = !is_wp_error($result) && false !== $result && null !== $result;
	$error = is_wp_error($result) ? $result->get_error_message() : ($ok ? null : 'The update did not complete.');
	if (!$ok && is_wp_error($skin->result)) {
		$error = $skin->result->get_error_message();
	}
	return rest_ensure_response(array(
		'ok' => $ok,
		'type' => $type,
		'slug' => $slug,
		'from' => $before,
		'to' => $after,
		'error' => $error,
		'log' => array_values(array_map('wp_strip_all_tags', array_map('strval', $skin->get_upgrade_messages()))),
	));
}
