/// The tiny guest's userland: a busybox `sh` script run as PID 1 and the ACPI power-button handler.
///
/// What the init does, in order: mounts proc, sysfs and devtmpfs; loads the modules listed in
/// `/lib/modules/load.order`; starts busybox `acpid` (an `EV_KEY KEY_POWER` press runs
/// `/etc/acpi/PWRF/00000080`, which powers off); looks for the config drive (a block device whose ISO9660 volume
/// label is `config-2`) for up to two seconds; from it sets the hostname (`hostname`, else `name`, in
/// `meta_data.json`), prints each SSH key of `keys` as `zoostack-guest public-key KEY`, configures each NIC
/// `network_data.json` names (MAC -> interface, address, netmask, default route; prints
/// `zoostack-guest nic IFACE ADDR/PREFIX`) and runs `user_data` when it is a `#!/bin/sh` script (its output goes
/// to the console); then prints `zoostack-guest ready HOSTNAME` and,
/// once a second, `zoostack-guest uptime=SECONDS disks=vda,sr0,...`. JSON is read with `sed` (busybox has no
/// JSON parser): it expects CloudStack's compact output, one key-value pair per `"key": value`.
enum GuestInit {
    /// The hostname the guest uses when no config drive names one.
    static let defaultHostname = "zoostack-guest"

    /// The ACPI power-button handler (`/etc/acpi/PWRF/00000080`).
    static let powerButtonHandler = """
        #!/bin/sh
        echo "zoostack-guest powering off"
        sync
        poweroff -f

        """

    /// `/init`.
    static let script = #"""
        #!/bin/sh
        /bin/busybox mount -t proc proc /proc
        /bin/busybox mount -t sysfs sysfs /sys
        /bin/busybox mount -t devtmpfs devtmpfs /dev
        /bin/busybox --install -s /bin
        export PATH=/bin HOME=/root
        exec </dev/console >/dev/console 2>&1
        while read -r m; do insmod "/lib/modules/$m" 2>/dev/null; done </lib/modules/load.order
        acpid -c /etc/acpi -l /dev/null -p /tmp/acpid.pid

        json() { sed -n "s/.*\"$1\" *: *\"\([^\"]*\)\".*/\1/p" | head -n 1; }
        label() { dd if="$1" bs=1 skip=32808 count=8 2>/dev/null; }

        cfg=
        i=0
        while [ -z "$cfg" ] && [ $i -lt 20 ]; do
            cfg=$(findfs LABEL=config-2 2>/dev/null)
            for d in /dev/sr* /dev/vd* /dev/sd*; do
                [ -z "$cfg" ] && [ -b "$d" ] && [ "$(label "$d")" = config-2 ] && cfg=$d
            done
            [ -n "$cfg" ] || { i=$((i + 1)); sleep 0.1; }
        done

        name=zoostack-guest
        if [ -n "$cfg" ] && mount -t iso9660 -o ro "$cfg" /mnt/cfg; then
            latest=/mnt/cfg/openstack/latest
            if [ -f $latest/meta_data.json ]; then
                n=$(json hostname <$latest/meta_data.json)
                [ -n "$n" ] || n=$(json name <$latest/meta_data.json)
                [ -n "$n" ] && name=$n
                json uuid <$latest/meta_data.json >/etc/zoostack-uuid
                tr '{' '\n' <$latest/meta_data.json | grep '"type" *: *"ssh"' | json data >/root/public_keys
                while read -r key; do echo "zoostack-guest public-key $key"; done </root/public_keys
            fi
            hostname "$name"
            if [ -f $latest/network_data.json ]; then
                tr '{' '\n' <$latest/network_data.json >/tmp/network_objects
                while read -r obj; do
                    case "$obj" in
                    *ethernet_mac_address*)
                        mac=$(echo "$obj" | json ethernet_mac_address)
                        id=$(echo "$obj" | json id)
                        for f in /sys/class/net/*; do
                            [ "$(cat $f/address)" = "$mac" ] && echo "$id ${f##*/}" >>/tmp/links
                        done
                        ;;
                    *ip_address*)
                        link=$(echo "$obj" | json link)
                        ip=$(echo "$obj" | json ip_address)
                        mask=$(echo "$obj" | json netmask)
                        dev=$(sed -n "s/^$link //p" /tmp/links 2>/dev/null | head -n 1)
                        if [ -n "$dev" ] && [ -n "$ip" ]; then
                            eval "$(ipcalc -p "$ip" "${mask:-255.255.255.0}")"
                            ip link set "$dev" up
                            ip addr add "$ip/$PREFIX" dev "$dev" && echo "zoostack-guest nic $dev $ip/$PREFIX"
                        fi
                        ;;
                    *gateway*)
                        gw=$(echo "$obj" | json gateway)
                        [ -n "$gw" ] && [ -n "$dev" ] && ip route add default via "$gw" dev "$dev" 2>/dev/null
                        ;;
                    esac
                done </tmp/network_objects
            fi
            if [ "$(head -c 9 $latest/user_data 2>/dev/null)" = '#!/bin/sh' ]; then
                cp $latest/user_data /tmp/user_data
                chmod 0755 /tmp/user_data
                /tmp/user_data
            fi
        fi
        hostname "$name"
        echo "zoostack-guest ready $(hostname)"
        while :; do
            up=$(cut -d. -f1 /proc/uptime)
            disks=$(ls /sys/block | grep -v -e '^loop' -e '^ram' | tr '\n' ',' | sed 's/,$//')
            echo "zoostack-guest uptime=$up disks=$disks"
            sleep 1
        done

        """#
}
