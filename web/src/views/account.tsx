/**
 * The signed-in person in the page's header (name, role, units, sign-out), and the page a person
 * sees when signed in without a grant (docs/portal.md#signing-in).
 */
import { type Me, ROLE_LABELS, type UnitNames, unitName } from "../people";
import { inPageClick } from "../view-state";

export function AccountBar(props: {
  me: Me;
  names: UnitNames;
  onGrants?: () => void;
  onSignOut: () => void;
}) {
  const { me } = props;
  return (
    <div class="account">
      <p class="account-who">
        <span class="account-name" data-account="name">
          {me.name}
        </span>
        <span class="account-detail">
          <span class="visually-hidden">Vai trò: </span>
          <span data-account="role">{ROLE_LABELS[me.role]}</span>
          {" · "}
          <span class="visually-hidden">Đơn vị: </span>
          <span data-account="units">{me.units.map((code) => unitName(code, props.names)).join(", ")}</span>
        </span>
      </p>
      {props.onGrants && (
        <a href="/?page=grants" class="account-link" onClick={inPageClick(() => props.onGrants?.())}>
          Quản lý quyền
        </a>
      )}
      <button type="button" class="secondary" onClick={props.onSignOut}>
        Đăng xuất
      </button>
    </div>
  );
}

/**
 * Signed in at the provider, but this product has no grant for the person (403 `no_grant`), or the
 * grant was disabled (403 `forbidden` on GET /v1/me): whom to ask, and the way out.
 */
export function NoGrant(props: { email?: string; disabled: boolean; onSignOut: () => void }) {
  return (
    <section class="sign-in no-grant" aria-labelledby="no-grant-title">
      <h1 id="no-grant-title">{props.disabled ? "Quyền truy cập đã bị tạm dừng" : "Chưa được cấp quyền"}</h1>
      <p role="alert">
        {props.disabled
          ? "Tài khoản của bạn đã đăng nhập, nhưng quyền xem số liệu của bạn đã bị quản trị viên tạm dừng."
          : "Tài khoản của bạn đã đăng nhập, nhưng chưa được cấp quyền xem số liệu của xã, phường hoặc tỉnh nào."}{" "}
        Vui lòng liên hệ <strong>quản trị viên của tỉnh</strong> (bộ phận quản trị hệ thống báo cáo một cửa
        của Văn phòng UBND tỉnh) để được cấp quyền
        {props.email ? (
          <>
            , và cho biết địa chỉ thư điện tử bạn dùng để đăng nhập: <strong>{props.email}</strong>.
          </>
        ) : (
          ", và cho biết địa chỉ thư điện tử bạn dùng để đăng nhập."
        )}
      </p>
      <button type="button" onClick={props.onSignOut}>
        Đăng xuất
      </button>
    </section>
  );
}
