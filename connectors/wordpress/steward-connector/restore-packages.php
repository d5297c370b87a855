<?php
// Restore points of another kind (docs/cms.md#safe-updates), loaded by steward-connector.php:
// when a plugin's files cannot be zipped (restore-points.php), the package of the version
// running that WordPress.org's plugins API offers (`plugin_information`, its `versions`), for a
// plugin whose updates come from WordPress.org (the offer's id `w.org/plugins/<folder>`: a
// custom plugin of the same folder name is never replaced by the directory's). On restore the
// package is reinstalled over the plugin by WordPress's own Plugin_Upgrader. The package's
// address comes from WordPress.org's answer, never from the request. Themes: zips only.

if (!defined('ABSPATH')) {
	exit;
}

/** The address of the package of `version` WordPress.org offers for the plugin, or null. */
function steward_restore_package($type, $slug, $version) {
	$folder = dirname($slug);
	if ('plugin' !== $type || '.' === $folder) {
		return null;
	}
	$offers = get_site_transient('update_plugins');
	if (!isset($offers->response[$slug])) {
		// the offers were dropped (wp_clean_plugins_cache): WordPress asks its update API again
		wp_update_plugins();
		$offers = get_site_transient('update_plugins');
	}
	$offer = isset($offers->response[$slug]) ? $offers->response[$slug] : null;
	if (!$offer || !isset($offer->id) || 'w.org/plugins/' . $folder !== $offer->id) {
		return null;
	}
	require_once ABSPATH . 'wp-admin/includes/plugin-install.php';
	$info = plugins_api('plugin_information', array('slug' => $folder, 'fields' => array('versions' => true)));
	if (is_wp_error($info) || !isset($info->versions) || !is_array($info->versions)) {
		return null;
	}
	$package = isset($info->versions[$version]) ? $info->versions[$version] : null;
	return is_string($package) && wp_http_validate_url($package) ? $package : null;
}

/** The package reinstalled over the plugin: null, or why it was not. */
function steward_restore_reinstall($point) {
	$skin = new Automatic_Upgrader_Skin();
	$result = (new Plugin_Upgrader($skin))->install($point['package'], array('overwrite_package' => true));
	if (true === $result) {
		wp_clean_plugins_cache();
		return null;
	}
	if (is_wp_error($result)) {
		return $result->get_error_message();
	}
	return is_wp_error($skin->result) ? $skin->result->get_error_message() : 'The package was not reinstalled.';
}
