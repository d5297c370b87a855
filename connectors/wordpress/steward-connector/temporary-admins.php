<?php
// Temporary administrators (docs/cms.md#tools), loaded by steward-connector.php: a real WordPress
// user `steward-tmp-<8 hex>` with the administrator role, a random 24-character password
// (answered once, never stored in clear) and its expiry in the user meta
// `steward_temporary_until`. The panel removes it at expiry (a Steward task, so it happens
// without traffic on the site); until then, and should the panel not come, the connector
// itself refuses the user's logins and sessions after the expiry and an hourly WP-cron event
// deletes it.
//   POST temporary-admin         {"expiresAt": ISO 8601}  -> {username, password, expiration}
//   POST temporary-admin/remove  {"username": …}           -> {username, removed}
// Only users the connector made (with the meta) are ever removed.

if (!defined('ABSPATH')) {
	exit;
}

add_action('rest_api_init', 'steward_temporary_routes');
add_filter('authenticate', 'steward_temporary_authenticate', 1001, 1);
add_filter('determine_current_user', 'steward_temporary_current_user', 1000, 1);
add_action('steward_temporary_cleanup', 'steward_temporary_cleanup');
add_action('init', function () {
	if (!wp_next_scheduled('steward_temporary_cleanup')) {
		wp_schedule_event(time() + 3600, 'hourly', 'steward_temporary_cleanup');
	}
});

function steward_temporary_routes() {
	$may = function () {
		return current_user_can('create_users') && current_user_can('promote_users') && current_user_can('delete_users');
	};
	register_rest_route('steward/v1', '/temporary-admin', array(
		'methods' => 'POST',
		'callback' => 'steward_temporary_create',
		'permission_callback' => $may,
		'args' => array(
			'expiresAt' => array('type' => 'string', 'required' => true, 'validate_callback' => function ($value) {
				$at = is_string($value) && strlen($value) <= 40 ? strtotime($value) : false;
				return false !== $at && $at > time() && $at <= time() + 7 * 86400;
			}),
		),
	));
	register_rest_route('steward/v1', '/temporary-admin/remove', array(
		'methods' => 'POST',
		'callback' => 'steward_temporary_remove',
		'permission_callback' => $may,
		'args' => array(
			'username' => array('type' => 'string', 'required' => true, 'pattern' => '^steward-tmp-[a-f0-9]{8}$'),
		),
	));
}

function steward_temporary_until($user_id) {
	$until = get_user_meta($user_id, 'steward_temporary_until', true);
	return '' === $until ? null : (int) $until;
}

function steward_temporary_create($request) {
	$until = strtotime($request['expiresAt']);
	$username = 'steward-tmp-' . bin2hex(random_bytes(4));
	$password = wp_generate_password(24, false);
	$id = wp_insert_user(array(
		'user_login' => $username,
		'user_pass' => $password,
		'user_email' => $username . '@steward.invalid',
		'display_name' => 'Temporary administrator (Steward)',
		'role' => 'administrator',
	));
	if (is_wp_error($id)) {
		return new WP_Error('steward_user', $id->get_error_message(), array('status' => 409));
	}
	update_user_meta($id, 'steward_temporary_until', $until);
	return rest_ensure_response(array(
		'username' => $username,
		'password' => $password,
		'expiration' => gmdate('Y-m-d\TH:i:s\Z', $until),
	));
}

/** Deletes a temporary administrator (its posts go to the caller); another user is never touched. */
function steward_temporary_delete($user, $reassign) {
	require_once ABSPATH . 'wp-admin/includes/user.php';
	if (!$user || null === steward_temporary_until($user->ID)) {
		return false;
	}
	return wp_delete_user($user->ID, $reassign);
}

function steward_temporary_remove($request) {
	$username = $request['username'];
	$removed = steward_temporary_delete(get_user_by('login', $username), get_current_user_id());
	return rest_ensure_response(array('username' => $username, 'removed' => (bool) $removed));
}

function steward_temporary_expired($user_id) {
	$until = steward_temporary_until($user_id);
	return null !== $until && $until <= time();
}

function steward_temporary_authenticate($user) {
	if ($user instanceof WP_User && steward_temporary_expired($user->ID)) {
		return new WP_Error('steward_expired', 'This temporary account has expired.');
	}
	return $user;
}

function steward_temporary_current_user($user_id) {
	return $user_id && steward_temporary_expired($user_id) ? false : $user_id;
}

function steward_temporary_cleanup() {
	$users = get_users(array('meta_key' => 'steward_temporary_until', 'meta_value' => time(), 'meta_compare' => '<=', 'meta_type' => 'NUMERIC'));
	$admins = get_users(array('role' => 'administrator', 'meta_key' => 'steward_temporary_until', 'meta_compare' => 'NOT EXISTS', 'number' => 1, 'fields' => 'ID'));
	foreach ($users as $user) {
		steward_temporary_delete($user, empty($admins) ? null : (int) $admins[0]);
	}
}
