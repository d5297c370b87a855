<?php
// A core version reinstalled: Steward's rollback of a core update that broke the site
// (docs/cms.md#safe-updates), loaded by steward-connector.php.
//   POST reinstall  {"type": "core", "version": "6.4.2"}  -> {ok, type, slug, from, to, error, log}
// The package is the one WordPress's update API offers for that version (the offers of a
// forced version check, found as WordPress's own "Re-install" finds them: find_core_update),
// never an address from the request: the route cannot install code the update API does not
// offer. Applied by WordPress's own Core_Upgrader, as a reinstall. A version not offered: 409.

if (!defined('ABSPATH')) {
	exit;
}

add_action('rest_api_init', 'steward_reinstall_routes');

function steward_reinstall_routes() {
	register_rest_route('steward/v1', '/reinstall', array(
		'methods' => 'POST',
		'callback' => 'steward_reinstall_core',
		'permission_callback' => 'steward_connector_may_update',
		'args' => array(
			'type' => array('type' => 'string', 'enum' => array('core'), 'required' => true),
			'version' => array('type' => 'string', 'required' => true, 'validate_callback' => 'steward_reinstall_valid_version'),
		),
	));
}

// As Steward's cmsVersion (packages/contracts): 6.4, 1.2.3, 6.5-RC2; whole-string (\A…\z).
function steward_reinstall_valid_version($value) {
	return is_string($value) && strlen($value) <= 64
		&& 1 === preg_match('#\A\d{1,9}(\.\d{1,9}){0,3}(-?[0-9A-Za-z]+(\.[0-9A-Za-z]+)*)?\z#', $value);
}

/** The update API's offer of `version` (the site's locale first, then en_US), or null. */
function steward_reinstall_offer($version) {
	wp_version_check(array(), true);
	foreach (array_unique(array(get_locale(), 'en_US')) as $locale) {
		$offer = find_core_update($version, $locale);
		if ($offer && !empty($offer->packages->full)) {
			return $offer;
		}
	}
	return null;
}

function steward_reinstall_core($request) {
	steward_connector_admin_includes();
	require_once ABSPATH . 'wp-admin/includes/class-core-upgrader.php';
	$version = (string) $request->get_param('version');
	$offer = steward_reinstall_offer($version);
	if (!$offer) {
		return new WP_Error('steward_not_offered', 'WordPress\'s update API does not offer version ' . $version . '.', array('status' => 409));
	}
	// the version running, from its file (not the request's global: a reinstall may follow an update)
	require ABSPATH . WPINC . '/version.php';
	$before = $wp_version;
	steward_busy_begin('core reinstall: ' . $version);
	$offer = clone $offer;
	$offer->response = 'reinstall';
	$skin = new Automatic_Upgrader_Skin();
	$result = (new Core_Upgrader($skin))->upgrade($offer);
	$after = is_wp_error($result) || !$result ? $before : (string) $result;
	return steward_connector_upgraded('core', '', $before, $after, $result, $skin);
}
