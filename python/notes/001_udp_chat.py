# 笔记原文：001_df77437b46ec7a02.txt 第 335-383 行，「案例：UDP 聊天器」的参考代码
# Source: notes 001_df77437b46ec7a02.txt, lines 335-383, "案例：UDP 聊天器", the sample code
# 改动：port ready
# Edits: port ready
# 改过或加上的行，行尾标着改动名（# port、# ready ……）。
# Each line changed or added ends with its edit's name (# port, # ready, ...).
# port：笔记用 ("", 7890)；这里地址是 127.0.0.1，端口来自命令行（第 1 个参数）。
# port: the notes use ("", 7890); here the address is 127.0.0.1 and the port is argument 1.
# ready：开始监听后打印一行（listening on …），测试和页面上的命令等到它再启动另一端。
# ready: once listening it prints a line (listening on ...); tests and the pages' commands wait for it to start the other side.
# ---
import socket
import sys  # port


def send_msg(udp_socket):
    """获取键盘数据，并将其发送给对方"""
    # 1. 从键盘输入数据
    msg = input("\n请输入要发送的数据:")
    # 2. 输入对方的ip地址
    dest_ip = input("\n请输入对方的ip地址:")
    # 3. 输入对方的port
    dest_port = int(input("\n请输入对方的port:"))
    # 4. 发送数据
    udp_socket.sendto(msg.encode("utf-8"), (dest_ip, dest_port))


def recv_msg(udp_socket):
    """接收数据并显示"""
    # 1. 接收数据
    recv_msg = udp_socket.recvfrom(1024)
    # 2. 解码
    recv_ip = recv_msg[1]
    recv_msg = recv_msg[0].decode("utf-8")
    # 3. 显示接收到的数据
    print(">>>%s:%s" % (str(recv_ip), recv_msg))


def main():
    # 1. 创建套接字
    udp_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    # 2. 绑定本地信息
    udp_socket.bind(("127.0.0.1", int(sys.argv[1])))  # port
    print("listening on", udp_socket.getsockname(), flush=True)  # ready
    while True:
        # 3. 选择功能
        print("=" * 30)
        print("1:发送消息")
        print("2:接收消息")
        print("=" * 30)
        op_num = input("请输入要操作的功能序号:")

        # 4. 根据选择调用相应的函数
        if op_num == "1":
            send_msg(udp_socket)
        elif op_num == "2":
            recv_msg(udp_socket)
        else:
            print("输入有误，请重新输入...")

if __name__ == "__main__":
    main()
